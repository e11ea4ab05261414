// The Chord paper's two routing experiments, for Chord and for Kademlia's rules:
// path length against ½·log2 N on a stable network (its figure 10), and the fraction of failed lookups
// after a fraction p of nodes fails at once, before and after stabilization (its figure 11).
import { TIDEPOOL_RING, chordId } from '../chord/ring.ts'
import type { NodeRef } from '../chord/routing-table.ts'
import { HOP_MS, SimulatedChordNetwork, TIMEOUT_MS, successorIn } from './chord-network.ts'
import { SimulatedKademliaNetwork, xorClosest } from './kademlia-network.ts'
import { pickFraction } from './random.ts'
import { seededRandom } from '../../seeded-random.ts'

export const SIMULATED_PROTOCOLS = ['chord', 'kademlia'] as const
export type SimulatedProtocol = typeof SIMULATED_PROTOCOLS[number]
/** The paper stores 100 keys per node; we look up a sample of them (all of them on small rings). */
export const KEYS_PER_NODE = 100
export const DEFAULT_MAX_LOOKUPS = 10_000

export interface ExperimentOptions {
  protocol: SimulatedProtocol
  nodes: number
  /** Fraction of nodes failing at once; undefined for the stable path-length experiment. */
  fail?: number
  lookups?: number
  seed?: number
  /** Chord's successor list length r (default: ⌈log2 N⌉, at least 3); records live on r nodes. */
  successors?: number
}

export interface ExperimentResult {
  protocol: SimulatedProtocol
  experiment: 'path-length' | 'failure'
  nodes: number
  lookups: number
  meanPathLength: number
  p1: number
  p99: number
  /** The Chord paper's expectation for the mean path length. */
  halfLog2N: number
  meanContacted: number
  /** Mean simulated latency of a lookup (a hop: 50 ms, a timeout: 500 ms). */
  meanLatencyMs: number
  fail?: number
  /** Lookups, right after the failures, that did not reach the key's live successor. */
  failedLookups?: number
  /** The same after one round of stabilization (Chord) or bucket refresh (Kademlia). */
  failedLookupsAfterStabilization?: number
  /** Keys whose every replica was on a failed node (r successors for Chord, k closest for Kademlia). */
  keysLost?: number
  /** Keys whose owner failed: what the Chord paper's figure 11 measures (no replication there, ≈ p). */
  keysLostUnreplicated?: number
}

interface Sample { hops: number, contacted: number, ms: number, ok: boolean }

function percentile (sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000

export function runExperiment (options: ExperimentOptions): ExperimentResult {
  if (!Number.isInteger(options.nodes) || options.nodes < 2) throw new RangeError('a simulation needs at least 2 nodes')
  if (options.fail !== undefined && !(options.fail >= 0 && options.fail < 1)) throw new RangeError('--fail must be in [0, 1)')
  const random = seededRandom(options.seed ?? 1)
  const refs: NodeRef[] = Array.from({ length: options.nodes }, (_, i) => {
    const peer = `node-${i}`
    return { id: chordId(peer), peer }
  })
  const lookups = options.lookups ?? Math.min(options.nodes * KEYS_PER_NODE, DEFAULT_MAX_LOOKUPS)
  const keys = Array.from({ length: lookups }, (_, i) => chordId(`key-${Math.floor(random() * options.nodes * KEYS_PER_NODE)}-${i}`))
  const failed = options.fail === undefined ? [] : pickFraction(refs, options.fail, random)
  const failedPeers = new Set(failed.map(r => r.peer))
  const live = refs.filter(r => !failedPeers.has(r.peer))
  const replicas = options.successors ?? Math.max(3, Math.ceil(Math.log2(options.nodes)))
  const pickFrom = (): NodeRef => live[Math.floor(random() * live.length)] as NodeRef
  const world = options.protocol === 'chord' ? chordWorld(refs, replicas) : kademliaWorld(refs, random)

  for (const ref of failed) world.fail(ref.peer)
  const measure = (): Sample[] => keys.map(key => world.lookup(pickFrom().peer, key))
  const before = measure()
  let after: Sample[] | undefined
  if (failed.length > 0) {
    world.stabilize(live)
    after = measure()
  }

  const hops = before.filter(s => s.ok).map(s => s.hops).sort((a, b) => a - b)
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)
  const result: ExperimentResult = {
    protocol: options.protocol,
    experiment: options.fail === undefined ? 'path-length' : 'failure',
    nodes: options.nodes,
    lookups,
    meanPathLength: round3(mean(hops)),
    p1: percentile(hops, 1),
    p99: percentile(hops, 99),
    halfLog2N: round3(Math.log2(options.nodes) / 2),
    meanContacted: round3(mean(before.map(s => s.contacted))),
    meanLatencyMs: Math.round(mean(before.map(s => s.ms)))
  }
  if (options.fail !== undefined) {
    result.fail = options.fail
    result.failedLookups = round3(before.filter(s => !s.ok).length / before.length)
    result.failedLookupsAfterStabilization = round3((after ?? before).filter(s => !s.ok).length / before.length)
    result.keysLost = round3(keys.filter(key => world.replicasOf(key).every(r => failedPeers.has(r.peer))).length / keys.length)
    result.keysLostUnreplicated = round3(keys.filter(key => failedPeers.has(world.replicasOf(key)[0]?.peer ?? '')).length / keys.length)
  }
  return result
}

/** What an experiment needs of a simulated network, for either protocol. */
interface World {
  fail: (peer: string) => void
  /** One lookup; ok when it ends at the key's live owner. */
  lookup: (from: string, key: bigint) => Sample
  stabilize: (live: NodeRef[]) => void
  /** Where the key's records were stored before anything failed. */
  replicasOf: (key: bigint) => NodeRef[]
}

/** All nodes sorted by id, and the live ones among them as failures happen. */
function liveSet (refs: readonly NodeRef[]): { all: NodeRef[], live: () => NodeRef[], remove: (peer: string) => void } {
  const all = [...refs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  let live = all
  return { all, live: () => live, remove: peer => { live = live.filter(r => r.peer !== peer) } }
}

function chordWorld (refs: NodeRef[], successors: number): World {
  const net = SimulatedChordNetwork.ideal(refs, { space: TIDEPOOL_RING, successorListLength: successors })
  const nodes = liveSet(refs)
  const all = nodes.all
  return {
    fail (peer) { net.fail(peer); nodes.remove(peer) },
    lookup (from, key) {
      const outcome = net.lookup(from, key)
      // The asker contacts the answer's successors in order; the first live one is the owner.
      const owner = outcome.ok ? outcome.successors.find(n => net.isAlive(n.peer)) : undefined
      // Path length counts the nodes traversed, the key's successor included (unless that is the asker).
      const hops = outcome.hops + (owner === undefined || owner.peer === from ? 0 : 1)
      return { hops, contacted: hops, ms: outcome.ms, ok: owner !== undefined && owner.peer === successorIn(nodes.live(), key)?.peer }
    },
    stabilize (live) { net.round(live.map(r => r.peer)) },
    replicasOf (key) {
      const first = all.indexOf(successorIn(all, key) as NodeRef)
      return Array.from({ length: Math.min(successors, all.length) }, (_, j) => all[(first + j) % all.length] as NodeRef)
    }
  }
}

function kademliaWorld (refs: NodeRef[], random: () => number): World {
  const net = new SimulatedKademliaNetwork({ bits: TIDEPOOL_RING.bits })
  net.fillBuckets(refs, random)
  const nodes = liveSet(refs)
  return {
    fail (peer) { net.fail(peer); nodes.remove(peer) },
    lookup (from, key) {
      const found = net.lookup(from, key)
      // α requests go out at once: a round costs one round trip, or a timeout if one of them is dead.
      const ms = found.rounds * HOP_MS + found.timeouts * (TIMEOUT_MS - HOP_MS)
      const owner = xorClosest(nodes.live(), key, 1, TIDEPOOL_RING.bits)[0]
      return { hops: found.hops, contacted: found.contacted, ms, ok: found.closest !== undefined && found.closest.peer === owner?.peer }
    },
    stabilize (live) { net.fillBuckets(live, random) },
    replicasOf (key) { return xorClosest(nodes.all, key, net.k, TIDEPOOL_RING.bits) }
  }
}
