// Chord vs Kademlia on the same number of real loopback peers (TCP + noise + yamux on 127.0.0.1):
// lookup hops, peers contacted and latency, median and p95, from one run, at 20 and 50 peers. Baseline:
// kad-dht's defaults (K = 20, α = 10, 10 disjoint paths), beside our tuning (p2p/dht/kademlia/tuning.ts:
// K = 8, α = 3, one path) and Chord. Then 30 % of the peers stop at once (no repair, no wait) and the
// survivors look up keys and find provider records stored before the stop.
// Measured warm: tables are filled first the way kad-dht's own table refresh does it (lookups of fresh
// keys, one at a time, a peer with an empty table dialling the bootstrap peer again; test/net/kad-nodes.ts),
// then every peer runs one lookup, so first-contact dials (TCP + noise + identify) are not counted as
// lookup latency.
// Where the time went with the defaults (lookups instrumented, 20 peers): 17–19 FIND_NODE requests,
// one per peer, each a new yamux stream + multistream-select + request/response, all on connections
// already open (0–1 dials per warm lookup: connections are reused); every peer is in this one process, so
// the "parallel" requests run one after another on the CPU, and latency and CPU time grow with the peers
// asked. A CPU profile of lookups finds no one hot spot: noise, TCP writes, yamux, kad-dht, the peer store
// (each answer's closer peers merged into it) and GC share it. K decides the number of requests: a lookup
// starts by asking the K closest peers it knows and stops once the K closest that answered are known;
// with K = 20 that was everyone. With K = 8 a lookup asks 8 (3–4× less CPU per lookup here).
// With K ≥ N every peer holds every provider record, so the defaults find providers at 20 peers in their
// own store (~1 ms); K = 8 asks the network.
// Why the tuning is safe: K is not on the wire (peers with other values answer each other); a provider
// record still lives on the 8 closest peers (all 8 gone when 30 % stop at random: 0.3^8 ≈ 7e-5), which
// the 30 %-stopped run below checks; one disjoint path gives up S/Kademlia's defence against peers that
// answer with made-up closer peers, which here can hide an answer but not forge one (records are signed,
// files checked against their CID). α = 3 is the Kademlia paper's value.
// Run: npm run bench:dht   (this part alone: node bench/dht-peers.ts; DHT_BENCH_PEERS=20,50
// DHT_BENCH_LOOKUPS=200 DHT_BENCH_CHORD=0 to leave Chord out)
import type { KadDHTInit } from '@libp2p/kad-dht'
import type { Libp2p } from '@libp2p/interface'
import { asMember, kill, ringSettled, startChordNode, type ChordNode } from '../test/net/chord-nodes.ts'
import { fillTables, startKadNodes } from '../test/net/kad-nodes.ts'
import { FINGERS_PER_ROUND } from '../p2p/dht/chord/maintenance.ts'
import { KADEMLIA_TUNING } from '../p2p/dht/kademlia/tuning.ts'
import { keyToCid } from '../p2p/dht/keys.ts'
import type { Dht } from '../p2p/dht/index.ts'

const PEER_COUNTS = (process.env.DHT_BENCH_PEERS ?? '20,50').split(',').map(Number)
const LOOKUPS = Number(process.env.DHT_BENCH_LOOKUPS ?? 200)
const WITH_CHORD = process.env.DHT_BENCH_CHORD !== '0'
const STOPPED_FRACTION = 0.3
const PROVIDED_KEYS = 20
const NETWORK = 'test-bench-dht'

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))] ?? 0
}

const sorted = (xs: number[]): number[] => xs.sort((a, b) => a - b)

/** Connections open over all peers (each counted at both ends). */
const connectionsOf = (nodes: Libp2p[]): number => nodes.reduce((sum, n) => sum + n.getConnections().length, 0)

/** CPU time of this whole process (every peer in it), in ms. */
function cpuMs (since?: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

interface Measured { hops: number[], contacted: number[], ms: number[], failed: number, newConnections: number, cpuMsPerLookup: number }

/** LOOKUPS lookups round-robin from dhts; a lookup that throws or finds no peer counts as failed. */
async function measure (dhts: Dht[], connections: () => number): Promise<Measured> {
  for (const [i, d] of dhts.entries()) await d.lookup(`bench-warm-up-${i}`).catch(() => undefined)
  const connectionsBefore = connections()
  const hops: number[] = []
  const contacted: number[] = []
  const ms: number[] = []
  let failed = 0
  const cpuBefore = process.cpuUsage()
  for (let i = 0; i < LOOKUPS; i++) {
    const stats = await (dhts[i % dhts.length] as Dht).lookup(`bench-key-${i}`).catch(() => undefined)
    if (stats === undefined || stats.found.length === 0) { failed++; continue }
    hops.push(stats.hops)
    contacted.push(stats.contacted)
    ms.push(stats.ms)
  }
  return { hops: sorted(hops), contacted: sorted(contacted), ms: sorted(ms), failed, newConnections: Math.max(0, connections() - connectionsBefore) / 2, cpuMsPerLookup: cpuMs(cpuBefore) / LOOKUPS }
}

async function chordRun (peers: number): Promise<Measured> {
  const nodes: ChordNode[] = [await startChordNode(NETWORK)]
  for (let i = 1; i < peers; i++) nodes.push(await startChordNode(NETWORK, nodes[0]))
  try {
    await ringSettled(nodes.map(asMember), 120_000)
    // Enough maintenance rounds for fix-fingers to go once round the whole finger table.
    for (let round = 0; round < 160 / FINGERS_PER_ROUND; round++) await Promise.all(nodes.map(async n => { await n.dht.maintain() }))
    return await measure(nodes.map(n => n.dht), () => connectionsOf(nodes.map(n => n.node)))
  } finally {
    for (const n of nodes) await kill(n)
  }
}

interface AfterStop { stopped: number, lookups: Measured, providersFound: number, providerMs: number[] }

async function kademliaRun (peers: number, tuning: Partial<KadDHTInit>): Promise<{ live: Measured, afterStop: AfterStop }> {
  const kad = await startKadNodes(NETWORK, peers, tuning)
  const nodes = kad.map(k => k.node)
  const dhts = kad.map(k => k.dht)
  try {
    await fillTables(kad, Math.min(peers - 1, 5))
    const live = await measure(dhts, () => connectionsOf(nodes))

    // 30 % stop, spread over the peers (the bootstrap peer among them); providers are survivors.
    const stopCount = Math.round(peers * STOPPED_FRACTION)
    const stopping = new Set(Array.from({ length: stopCount }, (_, j) => Math.floor(j * peers / stopCount)))
    const survivors = nodes.map((_, i) => i).filter(i => !stopping.has(i))
    const provided = await Promise.all(Array.from({ length: PROVIDED_KEYS }, async (_, k) => ({ key: await keyToCid(`bench-provided-${k}`), by: survivors[(k * 7) % survivors.length]! })))
    for (const p of provided) await dhts[p.by]!.provide(p.key)
    await Promise.all([...stopping].map(async i => { await nodes[i]!.stop() }))

    let providersFound = 0
    const providerMs: number[] = []
    for (let i = 0; i < LOOKUPS; i++) {
      const { key, by } = provided[i % provided.length]!
      const from = survivors[(i * 3 + 1) % survivors.length]!
      const started = performance.now()
      const found = await dhts[from]!.findProviders(key, { limit: 1 }).catch(() => [])
      providerMs.push(performance.now() - started)
      if (found.some(p => p.id.equals(nodes[by]!.peerId))) providersFound++
    }
    const lookups = await measure(survivors.map(i => dhts[i]!), () => connectionsOf(survivors.map(i => nodes[i]!)))
    return { live, afterStop: { stopped: stopCount, lookups, providersFound, providerMs: sorted(providerMs) } }
  } finally {
    await Promise.all(nodes.map(async n => { await n.stop() }))
  }
}

const latency = (ms: number[]): string => `latency median ${percentile(ms, 50).toFixed(0)} ms p95 ${percentile(ms, 95).toFixed(0)} ms`
const row = (name: string, r: Measured): string =>
  `${name.padEnd(18)} hops median ${percentile(r.hops, 50)} p95 ${percentile(r.hops, 95)}   contacted median ${percentile(r.contacted, 50)} p95 ${percentile(r.contacted, 95)}   ${latency(r.ms)}   cpu ${r.cpuMsPerLookup.toFixed(1)} ms/lookup   connections opened ${r.newConnections}   failed ${r.failed}/${LOOKUPS}`
const stoppedRow = (name: string, r: AfterStop): string =>
  `${name.padEnd(18)} lookups: ${latency(r.lookups.ms)}, contacted median ${percentile(r.lookups.contacted, 50)}, failed ${r.lookups.failed}/${LOOKUPS}   providers found ${r.providersFound}/${LOOKUPS} (${(100 * r.providersFound / LOOKUPS).toFixed(0)} %), ${latency(r.providerMs)}`

const DEFAULTS = 'kad-dht defaults'
const TUNED = `tuned K ${KADEMLIA_TUNING.kBucketSize} α ${KADEMLIA_TUNING.alpha} d ${KADEMLIA_TUNING.disjointPaths}`
for (const peers of PEER_COUNTS) {
  const chord = WITH_CHORD ? await chordRun(peers) : undefined
  const baseline = await kademliaRun(peers, {})
  const tuned = await kademliaRun(peers, KADEMLIA_TUNING)
  console.log(`\n${peers} real peers on 127.0.0.1, ${LOOKUPS} lookups each (½·log2 N = ${(Math.log2(peers) / 2).toFixed(2)}); target: median ≤ 50 ms, p95 ≤ 200 ms, 0 failed`)
  if (chord !== undefined) console.log(row('chord', chord))
  console.log(row(DEFAULTS, baseline.live))
  console.log(row(TUNED, tuned.live))
  console.log(`after ${tuned.afterStop.stopped} of ${peers} peers stopped at once (no repair; ${PROVIDED_KEYS} keys provided before, by survivors, found with limit 1); target: 0 failed, 100 % found`)
  console.log(stoppedRow(DEFAULTS, baseline.afterStop))
  console.log(stoppedRow(TUNED, tuned.afterStop))
}
console.log('\nhops: Chord counts nodes asked one after another; Kademlia the longest chain of answers. contacted: peers sent a request;')
console.log('cpu: this process\'s CPU time (every peer) per measured lookup, steadier than latency on a shared machine;')
console.log(`connections opened: new connections (TCP + noise + yamux + identify) the measured lookups had to dial. Peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.`)
