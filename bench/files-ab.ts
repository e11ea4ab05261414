// A/B of the files download between two checkouts of Tidepool on this machine, for changes whose effect is
// smaller than the box's own drift: providers + a downloader per tree, 200 MB downloads alternating
// A, B, B, A, … so a busy moment hurts both; prints each side's median MB/s and CPU (all its processes, all
// threads) per 100 MB. Usage: node bench/files-ab.ts <tree A> [tree B, default this one]
//   (env ROUNDS, default 8; SIZE in MB, default 200; PROVIDERS, default 1). A tree needs its node_modules
//   (a symlink will do).
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { benchApi as api, startBenchPeer, stopBenchPeers, type BenchPeer } from './files-peer-control.ts'

const MB = 1024 * 1024
const SIZE_MB = Number(process.env.SIZE ?? 200)
const ROUNDS = Number(process.env.ROUNDS ?? 8)
const PROVIDERS = Number(process.env.PROVIDERS ?? 1)
if (process.argv[2] === undefined) throw new Error('usage: node bench/files-ab.ts <tree A> [tree B]')
const trees = { A: resolve(process.argv[2]), B: resolve(process.argv[3] ?? join(import.meta.dirname, '..')) }
const root = await mkdtemp(join(tmpdir(), 'tidepool-files-ab-'))

/** A peer of `tree`, with its CPU so far (all threads, ms). */
type Peer = BenchPeer & { cpu: () => Promise<number> }
async function startPeer (tree: string, name: string, bootstrap: string[] = []): Promise<Peer> {
  const peer = await startBenchPeer(tree, join(root, name), 'test-bench-ab', bootstrap)
  return { ...peer, cpu: async () => (await peer.call({ cmd: 'cpu' })).all }
}

const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!
const sides: Array<{ name: 'A' | 'B', providers: Peer[], downloader: Peer, cid: string, link: string, rates: number[], cpu: number[] }> = []
try {
  const source = join(root, 'source.bin')
  const out = await open(source, 'w')
  for (let i = 0; i < SIZE_MB; i++) await out.write(randomBytes(MB))
  await out.close()
  for (const name of ['A', 'B'] as const) {
    const providers: Peer[] = []
    for (let i = 0; i < PROVIDERS; i++) providers.push(await startPeer(trees[name], `${name}-provider-${i}`, providers.slice(0, 1).map(p => p.ready.addrs[0]!)))
    const downloader = await startPeer(trees[name], `${name}-downloader`, [providers[0]!.ready.addrs[0]!])
    let added: { cid: string, link: string } | undefined
    for (const provider of providers) added = await api(provider, '/api/files', { path: source })
    sides.push({ name, providers, downloader, cid: added!.cid, link: added!.link, rates: [], cpu: [] })
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      await api(side.downloader, `/api/files/${side.cid}`, undefined, 'DELETE').catch(() => {}) // not there in the first round
      const cpuNow = async (): Promise<number> => (await Promise.all([side.downloader, ...side.providers].map(async p => await p.cpu()))).reduce((a, b) => a + b, 0)
      const before = await cpuNow()
      const started = performance.now()
      await api(side.downloader, '/api/files/download', { link: side.link })
      while ((await api(side.downloader, `/api/files/${side.cid}`)).state !== 'complete') await new Promise(resolve => setTimeout(resolve, 20))
      side.rates.push(SIZE_MB / ((performance.now() - started) / 1000))
      side.cpu.push((await cpuNow() - before) * 100 / SIZE_MB)
    }
  }
  console.log(`files A/B: ${SIZE_MB} MB over 127.0.0.1 from ${PROVIDERS} provider(s), ${ROUNDS} alternating downloads per side`)
  for (const side of sides) {
    console.log(`  ${side.name} ${trees[side.name]}: median ${median(side.rates).toFixed(0)} MB/s (${side.rates.map(r => r.toFixed(0)).join(' ')}), CPU median ${median(side.cpu).toFixed(0)} ms per 100 MB (min ${Math.min(...side.cpu).toFixed(0)})`)
  }
} finally {
  await stopBenchPeers(sides.flatMap(s => [...s.providers, s.downloader]))
  await rm(root, { recursive: true, force: true })
}
