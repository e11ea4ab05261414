// UI/API latency while mining on all cores: p50/p95 of GET /api/chain (what the chain view polls) on a
// real peer in its own process, first with mining off, then with the miner on every core — same run,
// same peer. The peer runs main-chain rules on a chain of its own, so the miner hashes flat out (no test
// pacing) and blocks keep connecting while it is measured.
// Run: npm run bench:ledger-latency   (BENCH_REQUESTS per phase, default 300)
import { eventually, startPeerProcess, type PeerProcess } from '../test/support/peer-process.ts'

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300)
/** Between requests, as a UI polling on a timer would leave; also lets the miner run between them. */
const GAP_MS = 10
const CHAIN = 'bench-latency'

async function latencies (peer: PeerProcess): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now()
    const { status } = await peer.api('/api/chain')
    out.push(performance.now() - start)
    if (status !== 200) throw new Error(`GET /api/chain answered ${status}`)
    await new Promise(resolve => setTimeout(resolve, GAP_MS))
  }
  return out.sort((a, b) => a - b)
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
const row = (label: string, sorted: number[]): string =>
  `  ${label.padEnd(34)} p50 ${quantile(sorted, 0.5).toFixed(1).padStart(6)} ms   p95 ${quantile(sorted, 0.95).toFixed(1).padStart(6)} ms   max ${sorted.at(-1)!.toFixed(1).padStart(6)} ms`

const peer = await startPeerProcess({ network: 'bench-latency', args: ['--chain', CHAIN] })
try {
  await latencies(peer) // warm-up: JIT, first LevelDB reads
  const idle = await latencies(peer)
  const heightBefore = (await peer.api('/api/chain')).body.height as number
  const started = await peer.api('/api/mining', { body: { enabled: true } })
  if (started.status !== 200) throw new Error(`mining refused: ${JSON.stringify(started.body)}`)
  await eventually('the miner reports a hash rate', async () => (await peer.api('/api/mining')).body.hashesPerSecond as number, rate => rate > 0, 30_000)
  const busy = await latencies(peer)
  const mining = (await peer.api('/api/mining')).body as { threads: number, hashesPerSecond: number }
  const mined = (await peer.api('/api/chain')).body.height as number - heightBefore
  await peer.api('/api/mining', { body: { enabled: false } })

  console.log(`GET /api/chain, ${REQUESTS} requests each, one at a time (${GAP_MS} ms apart), peer in its own process:`)
  console.log(row('mining off', idle))
  console.log(row(`mining on, ${mining.threads} threads (all cores)`, busy))
  console.log(`  p95 while mining ÷ p95 idle: ×${(quantile(busy, 0.95) / quantile(idle, 0.95)).toFixed(2)}; miner at ${(mining.hashesPerSecond / 1e6).toFixed(2)} MH/s, ${mined} blocks connected meanwhile`)
} finally {
  await peer.stop()
}
