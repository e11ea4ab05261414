// Light Chord nodes for network tests: a real libp2p node on 127.0.0.1 (TCP + noise + yamux + identify)
// and a real LevelDB, running ChordDht and nothing else — so twenty fit in one test process.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify, type Identify } from '@libp2p/identify'
import { Level } from 'level'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { ChordDht, DEFAULT_SUCCESSORS } from '../../p2p/dht/chord/service.ts'
import { chordId } from '../../p2p/dht/chord/ring.ts'
import type { ChordRingSummary } from '../../p2p/dht/index.ts'
import { eventually } from '../support/peer-process.ts'
import { makeTempDir } from '../support/cleanup.ts'

export interface ChordNode { node: Libp2p, dht: ChordDht, db: Level<string, Uint8Array>, dir: string, privateKey: PrivateKey, id: string, stopped: boolean }

/**
 * A bare libp2p node on loopback (no Chord, unstarted): the attacker in garbage tests, the base of a
 * Chord node, or with a kad-dht service a Kademlia node (kad-nodes.ts).
 */
export async function startBareNode<S extends Record<string, unknown> = Record<string, never>> (services?: { [K in keyof S]: (components: any) => S[K] }, privateKey?: PrivateKey): Promise<Libp2p<S & { identify: Identify }>> {
  return await createLibp2p({
    start: false,
    privateKey,
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1000 },
    services: { ...services, identify: identify() } as any
  })
}

export interface ChordNodeOptions {
  maintenanceMs?: number
  rpcTimeoutMs?: number
  recordTtlMs?: number
  republishMs?: number
  now?: () => number
  /** Start again as this stopped node: its key and its data directory. */
  restart?: ChordNode
}

/** CHORD_LOG=1 prints every node's Chord log to stderr, named by its peer id's last digits: what a flaky ring did. */
function chordLog (peer: string): ((line: string) => void) | undefined {
  if (process.env.CHORD_LOG === undefined) return undefined
  return line => { process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${peer.slice(-6)} ${line}\n`) }
}

export async function startChordNode (network: string, bootstrap?: ChordNode, { restart, ...options }: ChordNodeOptions = {}): Promise<ChordNode> {
  const dir = restart?.dir ?? await makeTempDir('tidepool-chord-')
  const db = new Level<string, Uint8Array>(join(dir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const privateKey = restart?.privateKey ?? await generateKeyPair('Ed25519')
  const node = await startBareNode({}, privateKey)
  const dht = new ChordDht(node, db, { network, privateKey, maintenanceMs: 500, log: chordLog(node.peerId.toString()), ...options })
  await dht.start()
  await node.start()
  if (bootstrap !== undefined) await node.dial(bootstrap.node.getMultiaddrs()[0]!)
  return { node, dht, db, dir, privateKey, id: node.peerId.toString(), stopped: false }
}

/** Stops a node (idempotent) and removes its data once stopped, unless it is to be restarted. */
export async function kill (n: ChordNode, { keepData = false } = {}): Promise<void> {
  if (n.stopped) return
  n.stopped = true
  await n.dht.stop()
  await n.node.stop()
  await n.db.close()
  if (!keepData) await rm(n.dir, { recursive: true, force: true })
}

/** A Chord peer as the ring checks see it: a light node here, or a full in-process peer. */
export interface RingMember { id: string, ring: () => ChordRingSummary | undefined }

export const asMember = (n: ChordNode): RingMember => ({ id: n.id, ring: () => n.dht.ring() })

/** Peer ids in ring order (by SHA-1 of the peer id). */
export const ringOrder = (ids: readonly string[]): string[] => [...ids].sort((a, b) => (chordId(a) < chordId(b) ? -1 : 1))

/**
 * Waits until the ring has settled: every member's predecessor and whole successor list are its true
 * neighbours among the members (so no dead or foreign node is left in any list). Returns once true, or
 * fails at the deadline naming the members still wrong.
 */
export async function ringSettled (members: readonly RingMember[], timeoutMs = 30_000): Promise<void> {
  const order = ringOrder(members.map(m => m.id))
  const after = (i: number, k: number): string => order[(i + k + order.length) % order.length]!
  const short = (peer: string | undefined): string => peer?.slice(-6) ?? '-'
  await eventually('the ring settles', async () => members.flatMap(m => {
    const view = m.ring()
    const me = order.indexOf(m.id)
    const successors = Array.from({ length: Math.min(DEFAULT_SUCCESSORS, order.length - 1) }, (_, k) => short(after(me, k + 1))).join()
    const seen = { predecessor: short(view?.predecessor?.peer), successors: view?.successors.map(s => short(s.peer)).join() }
    const right = seen.predecessor === short(after(me, -1)) && seen.successors === successors
    // Named by their last digits, with what they see and what they should: the failure message says why.
    return right ? [] : [{ node: short(m.id), ...seen, want: { predecessor: short(after(me, -1)), successors } }]
  }), wrong => wrong.length === 0, timeoutMs)
}
