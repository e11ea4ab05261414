// Chord vs Kademlia on the same number of real loopback peers (TCP + noise + yamux on 127.0.0.1):
// lookup hops and latency, median and p95, from one run. Baseline: Kademlia (kad-dht) beside Chord.
// Run: node bench/dht-peers.ts   (DHT_BENCH_PEERS=20..50, DHT_BENCH_LOOKUPS=200)
import { kadDHT, type KadDHT } from '@libp2p/kad-dht'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { ping, type Ping } from '@libp2p/ping'
import type { Libp2p } from '@libp2p/interface'
import { kill, startBareNode, startChordNode, type ChordNode } from '../test/net/chord-nodes.ts'
import { kademliaDht } from '../p2p/dht/kademlia/index.ts'
import { kademliaProtocol } from '../p2p/node/network-name.ts'
import { peerInfoMapper } from '../p2p/node/address-filter.ts'
import type { Dht, LookupStats } from '../p2p/dht/index.ts'
import { chordId } from '../p2p/dht/chord/ring.ts'

const PEERS = Number(process.env.DHT_BENCH_PEERS ?? 20)
const LOOKUPS = Number(process.env.DHT_BENCH_LOOKUPS ?? 200)
const NETWORK = 'test-bench-dht'

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))] ?? 0
}

async function measure (dhts: Dht[]): Promise<{ hops: number[], ms: number[], failed: number }> {
  const hops: number[] = []
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
    ms.push(stats.ms)
  }
  return { hops: hops.sort((a, b) => a - b), ms: ms.sort((a, b) => a - b), failed }
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
    const order = nodes.map(n => n.id).sort((a, b) => (chordId(a) < chordId(b) ? -1 : 1))
    await waitFor('the Chord ring settles', () => nodes.every(n => n.dht.ring().successors[0]?.peer === order[(order.indexOf(n.id) + 1) % order.length]), 120_000)
    await new Promise(resolve => setTimeout(resolve, 10_000)) // let fix-fingers go round the table
    return await measure(nodes.map(n => n.dht))
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
      dht: kadDHT({ protocol: kademliaProtocol(NETWORK), clientMode: false, peerInfoMapper: peerInfoMapper(true), allowQueryWithZeroPeers: true })
    }, keys[i])
    await node.start()
    if (i > 0) await node.dial(nodes[0]!.getMultiaddrs()[0]!)
    nodes.push(node)
  }
  try {
    const dhts = nodes.map((n, i) => kademliaDht(n.services.dht, keys[i]!))
    await waitFor('Kademlia routing tables fill', () => dhts.every(d => d.summary().routingTableSize >= Math.min(PEERS - 1, 5)), 120_000)
    return await measure(dhts)
  } finally {
    await Promise.all(nodes.map(async n => { await n.stop() }))
  }
}

const chord = await chordRun()
const kad = await kademliaRun()
const row = (name: string, r: typeof chord): string =>
  `${name.padEnd(9)} hops median ${percentile(r.hops, 50)} p95 ${percentile(r.hops, 95)}   latency median ${percentile(r.ms, 50).toFixed(0)} ms p95 ${percentile(r.ms, 95).toFixed(0)} ms   failed ${r.failed}/${LOOKUPS}`
console.log(`${PEERS} real peers on 127.0.0.1, ${LOOKUPS} lookups each (½·log2 N = ${(Math.log2(PEERS) / 2).toFixed(2)})`)
console.log(row('chord', chord))
console.log(row('kademlia', kad))
console.log('hops: Chord counts nodes asked one after another; Kademlia (kad-dht) counts peers that answered the query.')
