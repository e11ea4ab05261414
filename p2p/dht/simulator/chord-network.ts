// A simulated network of Chord nodes: every node runs the pure rules of dht/chord, messages are
// function calls, a dead node simply never answers, and time is a simulated clock (a hop costs
// HOP_MS, a timeout TIMEOUT_MS). Small rings run the real join/stabilize protocol; big ones start
// from the ideal (fully stabilized) tables, as the Chord paper's simulations do.
import { RingSpace } from '../chord/ring.ts'
import { ChordRoutingTable, type NodeRef, type StepAnswer } from '../chord/routing-table.ts'
import { runLookupSync, type LookupOutcome, type StepRequest } from '../chord/lookup.ts'

export const HOP_MS = 50
export const TIMEOUT_MS = 500

/** A lookup and the simulated time it took. */
export type SimulatedLookup = LookupOutcome & { ms: number }

interface SimNode {
  table: ChordRoutingTable
  alive: boolean
}

export class UnknownSimNodeError extends Error {
  override name = 'UnknownSimNodeError'
  readonly code = 'unknown-node'
}

export class SimulatedChordNetwork {
  readonly space: RingSpace
  readonly successorListLength: number
  private readonly nodes = new Map<string, SimNode>()
  /** Simulated milliseconds since the network started. */
  now = 0

  constructor (options: { space: RingSpace, successorListLength: number }) {
    this.space = options.space
    this.successorListLength = options.successorListLength
  }

  table (peer: string): ChordRoutingTable {
    const node = this.nodes.get(peer)
    if (node === undefined) throw new UnknownSimNodeError(`no simulated node ${peer}`)
    return node.table
  }

  isAlive (peer: string): boolean {
    return this.nodes.get(peer)?.alive === true
  }

  livePeers (): string[] {
    return [...this.nodes].filter(([, n]) => n.alive).map(([peer]) => peer)
  }

  /** A node on its own ring (the first node of a network). */
  addNode (ref: NodeRef): ChordRoutingTable {
    const table = new ChordRoutingTable(ref, { space: this.space, successorListLength: this.successorListLength })
    this.nodes.set(ref.peer, { table, alive: true })
    return table
  }

  /** The lecture's join: look up our own id through a known node, then tell that successor about us. */
  join (ref: NodeRef, via: string): ChordRoutingTable {
    const table = this.addNode(ref)
    const found = this.lookup(via, ref.id)
    const successor = found.ok ? found.successors.find(n => n.peer !== ref.peer) : undefined
    if (successor === undefined) throw new UnknownSimNodeError(`joining ${ref.peer} through ${via} found no successor`)
    table.join(successor)
    this.notify(successor.peer, ref)
    return table
  }

  fail (peer: string): void {
    const node = this.nodes.get(peer)
    if (node !== undefined) node.alive = false
  }

  /** One routing step asked of a node over the simulated network; a dead node costs a timeout. */
  ask (request: StepRequest): StepAnswer | undefined {
    const node = this.nodes.get(request.to.peer)
    if (node?.alive !== true) { this.now += TIMEOUT_MS; return undefined }
    this.now += HOP_MS
    return node.table.step(request.key, request.avoid)
  }

  lookup (from: string, key: bigint): SimulatedLookup {
    const started = this.now
    const outcome = runLookupSync(this.table(from), key, request => this.ask(request))
    return { ...outcome, ms: this.now - started }
  }

  notify (to: string, candidate: NodeRef): void {
    const node = this.nodes.get(to)
    if (node?.alive === true) node.table.notify(candidate)
  }

  /** stabilize at one node: ask the first live successor for its predecessor and successors, then notify it. */
  stabilize (peer: string): void {
    const table = this.table(peer)
    while (true) {
      const successor = table.successor
      const remote = this.nodes.get(successor.peer)
      if (remote?.alive !== true) { table.forget(successor.peer); continue }
      const notifyTarget = table.stabilize(remote.table.predecessor, remote.table.successors)
      this.notify(notifyTarget.peer, table.self)
      return
    }
  }

  checkPredecessor (peer: string): void {
    const table = this.table(peer)
    if (table.predecessor !== undefined && !this.isAlive(table.predecessor.peer)) table.predecessor = undefined
  }

  /** fix-fingers for every finger, reusing a found node for the following fingers it also covers. */
  fixAllFingers (peer: string): void {
    const table = this.table(peer)
    let covering: NodeRef | undefined
    for (let i = 0; i < this.space.bits; i++) {
      const start = this.space.fingerStart(table.self.id, i)
      if (covering === undefined || !this.space.betweenRightInclusive(start, table.self.id, covering.id)) {
        const found = this.lookup(peer, start)
        covering = found.ok ? found.successors.find(n => this.isAlive(n.peer)) : undefined
      }
      table.setFinger(i, covering)
    }
  }

  /** One maintenance round at every live node, in the given order: check-predecessor, stabilize, fix-fingers. */
  round (order: string[] = this.livePeers()): void {
    for (const peer of order) if (this.isAlive(peer)) this.checkPredecessor(peer)
    for (const peer of order) if (this.isAlive(peer)) this.stabilize(peer)
    for (const peer of order) if (this.isAlive(peer)) this.fixAllFingers(peer)
  }

  /**
   * A fully stabilized ring of these nodes: exact successor lists, predecessors and fingers. The
   * paper's static experiments start here; building it by joins would only be slower.
   */
  static ideal (refs: NodeRef[], options: { space: RingSpace, successorListLength: number }): SimulatedChordNetwork {
    const net = new SimulatedChordNetwork(options)
    const sorted = [...refs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const n = sorted.length
    sorted.forEach((ref, index) => {
      const table = net.addNode(ref)
      table.predecessor = n > 1 ? sorted[(index - 1 + n) % n] : undefined
      const successors: NodeRef[] = []
      for (let j = 1; j <= Math.min(options.successorListLength, n - 1); j++) successors.push(sorted[(index + j) % n] as NodeRef)
      table.setSuccessors(successors)
      let covering: NodeRef | undefined
      for (let i = 0; i < options.space.bits; i++) {
        const start = options.space.fingerStart(ref.id, i)
        if (covering === undefined || !options.space.betweenRightInclusive(start, ref.id, covering.id)) covering = successorIn(sorted, start)
        table.setFinger(i, covering)
      }
    })
    return net
  }
}

/** The first node at or after key on the ring, from nodes sorted by id. */
export function successorIn (sorted: readonly NodeRef[], key: bigint): NodeRef | undefined {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as NodeRef).id < key) lo = mid + 1
    else hi = mid
  }
  return sorted[lo === sorted.length ? 0 : lo]
}
