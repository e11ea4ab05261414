// Kademlia's routing rules in the same simulated world as Chord, so the two stand side by side:
// XOR distance, k-buckets (bucket i holds nodes at distance [2^i, 2^(i+1))), and iterative lookups
// asking the α closest not-yet-asked nodes each round until the k closest known have all answered.
// Tables start ideal (each bucket holds up to k nodes of its range), as the Chord simulation does.
import type { NodeRef } from '../chord/routing-table.ts'

export const KADEMLIA_K = 20
export const KADEMLIA_ALPHA = 3

export interface KademliaLookup {
  /** The closest live node found (the key's holder). */
  closest: NodeRef | undefined
  /** Path length: the round (of α parallel requests) in which the closest node was asked; 0 if it is the asker. */
  hops: number
  /** Requests sent in all (answered or timed out). */
  contacted: number
  /** Rounds run; each costs one round trip, or a timeout if a node in it is dead. */
  rounds: number
  timeouts: number
}

function msb (x: bigint): number {
  return x === 0n ? -1 : x.toString(2).length - 1
}

class KBuckets {
  readonly self: NodeRef
  /** buckets[i]: up to k nodes whose XOR distance from self has its highest bit at i. */
  readonly buckets: NodeRef[][]

  constructor (self: NodeRef, bits: number) {
    this.self = self
    this.buckets = Array.from({ length: bits }, () => [])
  }

  /** The k nodes this table knows closest to key by XOR, cheaply: bucket msb(self^key) first, then the lower buckets, then the higher ones. */
  closest (key: bigint, k: number): NodeRef[] {
    const b = msb(this.self.id ^ key)
    const byDistance = (nodes: NodeRef[]): NodeRef[] => nodes.sort((x, y) => ((x.id ^ key) < (y.id ^ key) ? -1 : 1))
    if (b < 0) return byDistance(this.buckets.flat()).slice(0, k)
    const near = [...(this.buckets[b] ?? [])]
    const lower: NodeRef[] = []
    for (let j = 0; j < b; j++) lower.push(...(this.buckets[j] ?? []))
    const out = [...byDistance(near), ...byDistance(lower)]
    for (let j = b + 1; j < this.buckets.length && out.length < k; j++) out.push(...byDistance([...(this.buckets[j] ?? [])]))
    return out.slice(0, k)
  }
}

export class SimulatedKademliaNetwork {
  readonly bits: number
  readonly k: number
  readonly alpha: number
  private readonly tables = new Map<string, KBuckets>()
  private readonly dead = new Set<string>()

  constructor (options: { bits: number, k?: number, alpha?: number }) {
    this.bits = options.bits
    this.k = options.k ?? KADEMLIA_K
    this.alpha = options.alpha ?? KADEMLIA_ALPHA
  }

  isAlive (peer: string): boolean {
    return this.tables.has(peer) && !this.dead.has(peer)
  }

  fail (peer: string): void {
    this.dead.add(peer)
  }

  /** Ideal k-buckets over the given nodes (all of them, or after failures the live ones: a refresh). */
  fillBuckets (refs: readonly NodeRef[], random: () => number): void {
    const sorted = [...refs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const lowerBound = (id: bigint): number => lowerBoundOf(sorted, id)
    for (const ref of sorted) {
      const table = new KBuckets(ref, this.bits)
      for (let i = this.bits - 1; i >= 0; i--) {
        // Nodes sharing our top bits-1-i bits and differing at bit i form one contiguous id range.
        const base = ((ref.id >> BigInt(i + 1)) << BigInt(i + 1)) | ((((ref.id >> BigInt(i)) & 1n) ^ 1n) << BigInt(i))
        const lo = lowerBound(base)
        const hi = lowerBound(base + (1n << BigInt(i)))
        table.buckets[i] = sample(sorted, lo, hi, this.k, random)
        // Below this bucket only our own half remains; once it holds nobody else, we are done.
        const ownBase = (ref.id >> BigInt(i)) << BigInt(i)
        if (lowerBound(ownBase + (1n << BigInt(i))) - lowerBound(ownBase) <= 1) break
      }
      this.tables.set(ref.peer, table)
    }
  }

  lookup (from: string, key: bigint): KademliaLookup {
    const own = this.tables.get(from)
    if (own === undefined) throw new RangeError(`no simulated node ${from}`)
    const byDistance = (a: NodeRef, b: NodeRef): number => ((a.id ^ key) < (b.id ^ key) ? -1 : 1)
    const shortlist = new Map<string, NodeRef>()
    for (const node of [own.self, ...own.closest(key, this.k)]) shortlist.set(node.peer, node)
    const asked = new Set<string>([from])
    let contacted = 0
    let rounds = 0
    let timeouts = 0
    const askedInRound = new Map<string, number>([[from, 0]])
    const owner = (): NodeRef | undefined => [...shortlist.values()].filter(n => this.isAlive(n.peer)).sort(byDistance)[0]
    while (true) {
      const closestK = [...shortlist.values()].sort(byDistance).slice(0, this.k)
      const batch = closestK.filter(n => !asked.has(n.peer)).slice(0, this.alpha)
      if (batch.length === 0) break
      rounds++
      let timedOut = false
      for (const node of batch) {
        asked.add(node.peer)
        askedInRound.set(node.peer, rounds)
        contacted++
        if (!this.isAlive(node.peer)) { shortlist.delete(node.peer); timedOut = true; continue }
        for (const learned of this.tables.get(node.peer)?.closest(key, this.k) ?? []) shortlist.set(learned.peer, learned)
      }
      if (timedOut) timeouts++
    }
    const closest = owner()
    return { closest, hops: askedInRound.get(closest?.peer ?? from) ?? 0, contacted, rounds, timeouts }
  }
}

/** Up to k distinct entries of sorted[lo, hi), chosen at random. */
function sample (sorted: readonly NodeRef[], lo: number, hi: number, k: number, random: () => number): NodeRef[] {
  const count = hi - lo
  if (count <= k) return sorted.slice(lo, hi)
  const picked = new Set<number>()
  while (picked.size < k) picked.add(lo + Math.floor(random() * count))
  return [...picked].map(i => sorted[i] as NodeRef)
}

function lowerBoundOf (sorted: readonly NodeRef[], id: bigint): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) { const mid = (lo + hi) >> 1; if ((sorted[mid] as NodeRef).id < id) lo = mid + 1; else hi = mid }
  return lo
}

/**
 * The k nodes XOR-closest to key, from nodes sorted by id: walk the id trie from the top bit, keeping
 * to key's side while it holds enough nodes and taking the whole side (then the other) when it does not.
 */
export function xorClosest (sorted: readonly NodeRef[], key: bigint, k: number, bits: number): NodeRef[] {
  const out: NodeRef[] = []
  const walk = (lo: number, hi: number, prefix: bigint, bit: number): void => {
    if (out.length >= k || lo >= hi) return
    if (bit < 0 || hi - lo <= k - out.length) {
      out.push(...[...sorted.slice(lo, hi)].sort((a, b) => ((a.id ^ key) < (b.id ^ key) ? -1 : 1)).slice(0, k - out.length))
      return
    }
    const one = prefix | (1n << BigInt(bit))
    const mid = lowerBoundOf(sorted, one)
    if (((key >> BigInt(bit)) & 1n) === 1n) {
      walk(mid, hi, one, bit - 1)
      walk(lo, mid, prefix, bit - 1)
    } else {
      walk(lo, mid, prefix, bit - 1)
      walk(mid, hi, one, bit - 1)
    }
  }
  walk(0, sorted.length, 0n, bits - 1)
  return out
}
