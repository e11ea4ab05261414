// Chord vs Kademlia on the same number of real loopback peers (TCP + noise + yamux on 127.0.0.1):
// lookup hops, peers contacted and latency, median and p95, from one run. Baseline: Kademlia (kad-dht)
// beside Chord. Both are measured warm: every peer first runs one lookup of its own, so first-contact
// dials (TCP + noise + identify, tens of ms each under load) are not counted as lookup latency.
// Why Kademlia's latency is far higher here: kad-dht asks the K = 20 closest peers it knows (α = 10, 20
// disjoint paths), so in a network of 20–50 every lookup contacts ~20 peers at once where Chord asks 2–3
// one after another; with every peer in this one process, those "parallel" requests share one event loop
// and run one after another on the CPU, so latency grows with peers contacted. Its tail is dialling:
// a lookup reaches peers it has no connection to yet, and each first contact is a TCP + noise + yamux +
// identify handshake (50 peers: 300–600 connections opened in 100 lookups, some twice when two peers
// dial each other at once), where Chord's hops go to fingers it is already connected to. No query
// errors or timeouts were seen; nothing in our kad-dht configuration causes it (K = 20 is the standard).
// Run: node bench/dht-peers.ts   (DHT_BENCH_PEERS=20..50, DHT_BENCH_LOOKUPS=200)
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { ping, type Ping } from '@libp2p/ping'
import type { Libp2p } from '@libp2p/interface'
import { asMember, kill, ringSettled, startBareNode, startChordNode, type ChordNode } from '../test/net/chord-nodes.ts'
import { FINGERS_PER_ROUND } from '../p2p/dht/chord/maintenance.ts'
import { kademliaDht } from '../p2p/dht/kademlia/index.ts'
import { kademliaProtocol } from '../p2p/node/network-name.ts'
import type { Dht, LookupStats } from '../p2p/dht/index.ts'

const PEERS = Number(process.env.DHT_BENCH_PEERS ?? 20)
const LOOKUPS = Number(process.env.DHT_BENCH_LOOKUPS ?? 200)
const NETWORK = 'test-bench-dht'

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))] ?? 0
}

/** Connections open over all peers (each counted at both ends). */
const connectionsOf = (nodes: Libp2p[]): number => nodes.reduce((sum, n) => sum + n.getConnections().length, 0)

async function measure (dhts: Dht[], connections: () => number): Promise<{ hops: number[], contacted: number[], ms: number[], failed: number, newConnections: number }> {
  await Promise.all(dhts.map(async (d, i) => await d.lookup(`bench-warm-up-${i}`).catch(() => undefined)))
  const connectionsBefore = connections()
  const hops: number[] = []
  const contacted: number[] = []
  const ms: number[] = []
  let failed = 0
  for (let i = 0; i < LOOKUPS; i++) {
    const from = dhts[i % dhts.length] as Dht
    let stats: LookupStats
    try {
      stats = await from.lookup(`bench-key-${i}`)
    } catch {
      failed++
      continue
    }
    hops.push(stats.hops)
    contacted.push(stats.contacted)
    ms.push(stats.ms)
  }
  const sorted = (xs: number[]): number[] => xs.sort((a, b) => a - b)
  return { hops: sorted(hops), contacted: sorted(contacted), ms: sorted(ms), failed, newConnections: Math.max(0, connections() - connectionsBefore) / 2 }
}

async function waitFor (what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

async function chordRun (): Promise<Awaited<ReturnType<typeof measure>>> {
  const nodes: ChordNode[] = [await startChordNode(NETWORK)]
  for (let i = 1; i < PEERS; i++) nodes.push(await startChordNode(NETWORK, nodes[0]))
  try {
    await ringSettled(nodes.map(asMember), 120_000)
    // Enough maintenance rounds for fix-fingers to go once round the whole finger table.
    for (let round = 0; round < 160 / FINGERS_PER_ROUND; round++) await Promise.all(nodes.map(async n => { await n.dht.maintain() }))
    return await measure(nodes.map(n => n.dht), () => connectionsOf(nodes.map(n => n.node)))
  } finally {
    for (const n of nodes) await kill(n)
  }
}

async function kademliaRun (): Promise<Awaited<ReturnType<typeof measure>>> {
  const nodes: Array<Libp2p<{ dht: KadDHT, ping: Ping }>> = []
  const keys = await Promise.all(Array.from({ length: PEERS }, async () => await generateKeyPair('Ed25519')))
  for (let i = 0; i < PEERS; i++) {
    const node = await startBareNode<{ dht: KadDHT, ping: Ping }>({
      ping: ping(),
      dht: kadDHT({ protocol: kademliaProtocol(NETWORK), clientMode: false, peerInfoMapper: passthroughMapper, allowQueryWithZeroPeers: true })
    }, keys[i])
    await node.start()
    if (i > 0) await node.dial(nodes[0]!.getMultiaddrs()[0]!)
    nodes.push(node)
  }
  try {
    const dhts = nodes.map((n, i) => kademliaDht(n.services.dht, keys[i]!))
    await waitFor('Kademlia routing tables fill', () => dhts.every(d => d.summary().routingTableSize >= Math.min(PEERS - 1, 5)), 120_000)
    return await measure(dhts, () => connectionsOf(nodes))
  } finally {
    await Promise.all(nodes.map(async n => { await n.stop() }))
  }
}

const chord = await chordRun()
const kad = await kademliaRun()
const row = (name: string, r: typeof chord): string =>
  `${name.padEnd(9)} hops median ${percentile(r.hops, 50)} p95 ${percentile(r.hops, 95)}   contacted median ${percentile(r.contacted, 50)} p95 ${percentile(r.contacted, 95)}   latency median ${percentile(r.ms, 50).toFixed(0)} ms p95 ${percentile(r.ms, 95).toFixed(0)} ms   connections opened ${r.newConnections}   failed ${r.failed}/${LOOKUPS}`
console.log(`${PEERS} real peers on 127.0.0.1, ${LOOKUPS} lookups each (½·log2 N = ${(Math.log2(PEERS) / 2).toFixed(2)})`)
console.log(row('chord', chord))
console.log(row('kademlia', kad))
console.log('hops: Chord counts nodes asked one after another; Kademlia the longest chain of answers. contacted: peers sent a request;')
console.log('connections opened: new connections (TCP + noise + yamux + identify) the measured lookups had to dial.')
