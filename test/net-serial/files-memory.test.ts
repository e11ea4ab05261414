// Memory stays bounded while a 2 GB file is added on one peer and downloaded by another: both stream
// through fixed-size chunks, so neither process's RSS grows with the file (issue: under 300 MB).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createCipheriv, createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { startPeerProcess, eventually, makeDataDir, type PeerProcess } from '../support/peer-process.ts'

const NETWORK = 'test-files-memory'
const SIZE = 2 * 1024 ** 3
const RSS_LIMIT_BYTES = 300 * 1024 * 1024
const SAMPLE_MS = 200
const peers: PeerProcess[] = []
const dirs: string[] = []

after(async () => {
  await Promise.all(peers.map(async p => await p.stop()))
  await Promise.all([...dirs, ...peers.map(p => p.dataDir)].map(async d => await rm(d, { recursive: true, force: true })))
})

/** Writes `size` pseudo-random bytes (AES-CTR over zeros, fixed key: the same bytes every run); resolves to their SHA-256. */
async function writeRandomFile (path: string, size: number): Promise<string> {
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16))
  const zeros = Buffer.alloc(1024 * 1024)
  const hash = createHash('sha256')
  async function * bytes (): AsyncGenerator<Buffer> {
    for (let written = 0; written < size; written += zeros.byteLength) {
      const block = cipher.update(zeros.subarray(0, Math.min(zeros.byteLength, size - written)))
      hash.update(block)
      yield block
    }
  }
  await pipeline(Readable.from(bytes()), createWriteStream(path))
  return hash.digest('hex')
}

/** The resident set of a process in bytes, from /proc. */
async function rssOf (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
  return kb === undefined ? 0 : Number(kb) * 1024
}

test('adding and downloading a 2 GB file keeps each peer under 300 MB RSS; the bytes arrive intact', async () => {
  const dir = await makeDataDir('files-memory-src')
  dirs.push(dir)
  const source = join(dir, 'two-gb.bin')
  const sha = await writeRandomFile(source, SIZE)

  const a = await startPeerProcess({ network: NETWORK })
  peers.push(a)
  const b = await startPeerProcess({ network: NETWORK, args: ['--bootstrap', a.ready.addrs[0]!] })
  peers.push(b)
  const peak = new Map<string, number>([['A', 0], ['B', 0]])
  const sampler = setInterval(() => {
    for (const [label, peer] of [['A', a], ['B', b]] as const) {
      void rssOf(peer.child.pid!).then(rss => { peak.set(label, Math.max(peak.get(label)!, rss)) })
    }
  }, SAMPLE_MS)
  try {
    const added = await a.api('/api/files', { body: { path: source } })
    assert.equal(added.status, 200, JSON.stringify(added.body))
    assert.equal(added.body.size, SIZE)
    assert.equal((await b.api('/api/files/download', { body: { link: added.body.link } })).status, 200)
    await eventually('B complete', async () => (await b.api(`/api/files/${added.body.cid}`)).body, e => e.state === 'complete', 80_000)

    const hash = createHash('sha256')
    for await (const chunk of createReadStream(join(b.dataDir, 'files', 'content', added.body.cid), { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer)
    assert.equal(hash.digest('hex'), sha)
  } finally {
    clearInterval(sampler)
  }
  const mb = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`
  console.log(`peak RSS: A ${mb(peak.get('A')!)}, B ${mb(peak.get('B')!)}`)
  for (const [label, rss] of peak) assert.ok(rss > 0 && rss < RSS_LIMIT_BYTES, `peer ${label} peaked at ${mb(rss)}`)
})
