// Light Kademlia nodes for network tests and bench/dht-peers.ts: a bare libp2p node on 127.0.0.1 running
// kad-dht (with the given tuning) behind our Dht interface, and nothing else — so fifty fit in one process.
import { kadDHT, passthroughMapper, type KadDHT, type KadDHTInit } from '@libp2p/kad-dht'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { ping, type Ping } from '@libp2p/ping'
import type { Libp2p } from '@libp2p/interface'
import { kademliaDht } from '../../p2p/dht/kademlia/index.ts'
import { kademliaProtocol } from '../../p2p/node/network-name.ts'
import type { Dht } from '../../p2p/dht/index.ts'
import { startBareNode } from './chord-nodes.ts'

export interface KadNode { node: Libp2p<{ dht: KadDHT, ping: Ping }>, dht: Dht }

/** `peers` started nodes, each having dialled the first. */
export async function startKadNodes (network: string, peers: number, tuning: Partial<KadDHTInit>): Promise<KadNode[]> {
  const nodes: KadNode[] = []
  for (let i = 0; i < peers; i++) {
    const privateKey = await generateKeyPair('Ed25519')
    const node = await startBareNode<{ dht: KadDHT, ping: Ping }>({
      ping: ping(),
      dht: kadDHT({ protocol: kademliaProtocol(network), clientMode: false, peerInfoMapper: passthroughMapper, allowQueryWithZeroPeers: true, ...tuning })
    }, privateKey)
    await node.start()
    if (i > 0) await node.dial(nodes[0]!.node.getMultiaddrs()[0]!)
    nodes.push({ node, dht: kademliaDht(node.services.dht, privateKey) })
  }
  return nodes
}

/**
 * Fills routing tables to `wanted` peers each as kad-dht's table refresh does, by lookups of fresh keys
 * (a refresh comes only every 5 minutes); a node whose table is empty dials the first node again.
 */
export async function fillTables (nodes: KadNode[], wanted: number, maxRounds = 20): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    if (nodes.every(n => n.dht.summary().routingTableSize >= wanted)) return
    // One lookup at a time: all at once, their dials' handshakes time out on a loaded machine and the
    // tables stay empty.
    for (const [i, n] of nodes.entries()) {
      if (i > 0 && n.dht.summary().routingTableSize === 0) await n.node.dial(nodes[0]!.node.getMultiaddrs()[0]!).catch(() => undefined)
      await n.dht.lookup(`fill-tables-${round}-${i}`).catch(() => undefined)
    }
  }
  throw new Error(`routing tables: not ${wanted} peers each after ${maxRounds} rounds: ${nodes.map(n => n.dht.summary().routingTableSize).join(' ')}`)
}
