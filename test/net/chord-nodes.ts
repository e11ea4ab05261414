// Light Chord nodes for network tests: a real libp2p node on 127.0.0.1 (TCP + noise + yamux + identify)
// and a real LevelDB, running ChordDht and nothing else — so twenty fit in one test process.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify, type Identify } from '@libp2p/identify'
import { Level } from 'level'
import { ChordDht } from '../../p2p/dht/chord/service.ts'

export interface ChordNode { node: Libp2p, dht: ChordDht, db: Level<string, Uint8Array>, dir: string, id: string, stopped: boolean }

/**
 * A bare libp2p node on loopback (no Chord, unstarted): the attacker in garbage tests, the base of a
 * Chord node, or with a kad-dht service the Kademlia side of bench/dht-peers.ts.
 */
export async function startBareNode<S extends Record<string, unknown> = Record<string, never>> (services?: { [K in keyof S]: (components: any) => S[K] }): Promise<Libp2p<S & { identify: Identify }>> {
  return await createLibp2p({
    start: false,
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1000 },
    services: { ...services, identify: identify() } as any
  })
}

export async function startChordNode (network: string, bootstrap?: ChordNode, options: { recordTtlMs?: number, republishMs?: number } = {}): Promise<ChordNode> {
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-chord-'))
  const db = new Level<string, Uint8Array>(join(dir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const node = await startBareNode()
  const dht = new ChordDht(node, db, { network, maintenanceMs: 500, ...options })
  await dht.start()
  await node.start()
  if (bootstrap !== undefined) await node.dial(bootstrap.node.getMultiaddrs()[0]!)
  return { node, dht, db, dir, id: node.peerId.toString(), stopped: false }
}

/** Stops a node (idempotent) and removes its data once stopped. */
export async function kill (n: ChordNode): Promise<void> {
  if (n.stopped) return
  n.stopped = true
  await n.dht.stop()
  await n.node.stop()
  await n.db.close()
  await rm(n.dir, { recursive: true, force: true })
}
