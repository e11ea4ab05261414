// Pure: one Chord node's routing state and the rules that read and change it — successor list,
// predecessor, finger table, closest-preceding-node routing, stabilize/notify, forgetting dead nodes.
// No I/O and no clock: the simulator and the libp2p protocol drive the same rules.
import type { RingSpace } from './ring.ts'

/** A node as routing knows it: its place on the ring and how to reach it (a peer id, or a simulator name). */
export interface NodeRef {
  id: bigint
  peer: string
}

/** What a node answers when asked to route one step towards a key. */
export type StepAnswer =
  /** The key's successors, owner first (the answering node's live successor list from the key on). */
  | { kind: 'found', successors: NodeRef[] }
  /** Ask this node next: the closest node preceding the key that this node knows. */
  | { kind: 'next', node: NodeRef }
  /** Every way on is in the avoid set. */
  | { kind: 'stuck' }

export interface RoutingTableOptions {
  space: RingSpace
  /** r: how many successors to keep, so r-1 of them may fail at once without breaking the ring. */
  successorListLength: number
}

export class ChordRoutingTable {
  readonly self: NodeRef
  readonly space: RingSpace
  readonly successorListLength: number
  predecessor: NodeRef | undefined
  /** Never empty: a node alone on the ring is its own successor. */
  private successorList: NodeRef[]
  /** fingers[i] = successor of self + 2^i, as last found; undefined until fixed. */
  readonly fingers: Array<NodeRef | undefined>
  private nextFingerIndex = 0

  constructor (self: NodeRef, options: RoutingTableOptions) {
    if (!options.space.contains(self.id)) throw new RangeError(`id ${self.id} is off a ${options.space.bits}-bit ring`)
    if (!Number.isInteger(options.successorListLength) || options.successorListLength < 1) throw new RangeError('successor list length must be at least 1')
    this.self = self
    this.space = options.space
    this.successorListLength = options.successorListLength
    this.successorList = [self]
    this.fingers = new Array<NodeRef | undefined>(options.space.bits).fill(undefined)
  }

  get successor (): NodeRef {
    return this.successorList[0] ?? this.self
  }

  get successors (): readonly NodeRef[] {
    return this.successorList
  }

  /** Joining through a known node: our successor is whoever owns our own id. */
  join (successor: NodeRef): void {
    this.predecessor = undefined
    this.setSuccessors([successor])
  }

  /** The nodes this table names, each once (for the UI, and to pick whom to ask). */
  knownNodes (): NodeRef[] {
    const known = new Map<string, NodeRef>()
    for (const node of [...this.successorList, ...this.fingers, this.predecessor]) {
      if (node !== undefined && node.peer !== this.self.peer) known.set(node.peer, node)
    }
    return [...known.values()]
  }

  /** Whether this node is the key's successor, as far as it knows. */
  owns (key: bigint): boolean {
    if (this.predecessor === undefined) return this.successor.peer === this.self.peer
    return this.space.betweenRightInclusive(key, this.predecessor.id, this.self.id)
  }

  /**
   * One routing step for key at this node: if key is in (self, first live successor] the answer is the
   * live successor list (its first entry owns the key); otherwise the closest preceding node. Nodes named in avoid are
   * known dead to the asker and are routed around.
   */
  step (key: bigint, avoid: ReadonlySet<string> = new Set()): StepAnswer {
    if (this.owns(key) && this.predecessor !== undefined) return { kind: 'found', successors: [this.self, ...this.successorList].filter(n => !avoid.has(n.peer)) }
    // Past a dead successor, the next live one takes over its keys.
    const live = this.successorList.filter(n => !avoid.has(n.peer))
    const liveSuccessor = live[0]
    if (liveSuccessor !== undefined && this.space.betweenRightInclusive(key, this.self.id, liveSuccessor.id)) return { kind: 'found', successors: live }
    const next = this.closestPrecedingNode(key, avoid)
    return next === undefined ? { kind: 'stuck' } : { kind: 'next', node: next }
  }

  /** The known node in (self, key) closest to key, from the fingers and the successor list. */
  closestPrecedingNode (key: bigint, avoid: ReadonlySet<string> = new Set()): NodeRef | undefined {
    let best: NodeRef | undefined
    let bestDistance = -1n
    const consider = (node: NodeRef | undefined): void => {
      if (node === undefined || node === best || avoid.has(node.peer) || !this.space.between(node.id, this.self.id, key)) return
      const d = this.space.distance(this.self.id, node.id)
      if (d > bestDistance) { best = node; bestDistance = d }
    }
    let previous: NodeRef | undefined
    for (let i = this.fingers.length - 1; i >= 0; i--) {
      const finger = this.fingers[i]
      if (finger === previous) continue // runs of equal fingers are common; compare each once
      previous = finger
      consider(finger)
    }
    for (const node of this.successorList) consider(node)
    return best
  }

  /**
   * Stabilize, given what our successor told us: its predecessor and its successor list. If a node sits
   * between us and our successor, it becomes our successor (the lecture's "m1 < m3 < m2"). Returns the
   * node to notify that we may be its predecessor.
   */
  stabilize (successorsPredecessor: NodeRef | undefined, successorsSuccessors: readonly NodeRef[]): NodeRef {
    const successor = this.successor
    const onward = this.beforeWrap(successor, successorsSuccessors)
    if (successorsPredecessor !== undefined && this.space.between(successorsPredecessor.id, this.self.id, successor.id)) {
      this.setSuccessors([successorsPredecessor, successor, ...onward])
    } else {
      this.setSuccessors([successor, ...onward])
    }
    return this.successor
  }

  /**
   * The successor's list, clockwise from it, up to where it comes round to us. On a ring smaller than
   * the list it wraps past us, and an entry past the wrap would sort in front of our successor: a node
   * that left would then circulate for ever, each node re-learning it from a neighbour's older list.
   * Only the successor's predecessor may come between us and it.
   */
  private beforeWrap (successor: NodeRef, list: readonly NodeRef[]): NodeRef[] {
    const onward: NodeRef[] = []
    for (const node of list) {
      if (node.peer === this.self.peer || this.space.between(node.id, this.self.id, successor.id)) break
      onward.push(node)
    }
    return onward
  }

  /** candidate thinks it might be our predecessor; accept it if it is closer than the one we have. */
  notify (candidate: NodeRef): boolean {
    if (candidate.peer === this.self.peer || !this.space.contains(candidate.id)) return false
    if (this.predecessor !== undefined && !this.space.between(candidate.id, this.predecessor.id, this.self.id)) return false
    this.predecessor = candidate
    // A node alone on the ring learns its first successor this way.
    if (this.successor.peer === this.self.peer) this.setSuccessors([candidate])
    return true
  }

  /** The finger to refresh next, round robin, and where it starts. */
  nextFingerToFix (): { index: number, start: bigint } {
    const index = this.nextFingerIndex
    this.nextFingerIndex = (index + 1) % this.fingers.length
    return { index, start: this.space.fingerStart(this.self.id, index) }
  }

  setFinger (index: number, node: NodeRef | undefined): void {
    if (index < 0 || index >= this.fingers.length) throw new RangeError(`finger ${index} is off a ${this.space.bits}-bit table`)
    this.fingers[index] = node?.peer === this.self.peer ? undefined : node
  }

  /** A node stopped answering: drop it everywhere; the next live successor takes over. */
  forget (peer: string): void {
    if (peer === this.self.peer) return
    if (this.predecessor?.peer === peer) this.predecessor = undefined
    for (let i = 0; i < this.fingers.length; i++) if (this.fingers[i]?.peer === peer) this.fingers[i] = undefined
    const remaining = this.successorList.filter(n => n.peer !== peer)
    // All r successors gone: carry on from the nearest node we still know (stabilize then walks back
    // to the true successor) rather than pointing at ourselves and splitting the ring.
    this.setSuccessors(remaining.length > 0 ? remaining : this.knownNodes().filter(n => n.peer !== peer))
  }

  /** Deduplicated, ourselves excluded (unless alone), in ring order from us, at most r long. */
  setSuccessors (candidates: readonly NodeRef[]): void {
    const seen = new Set<string>()
    const list: NodeRef[] = []
    for (const node of candidates) {
      if (node.peer === this.self.peer || seen.has(node.peer) || !this.space.contains(node.id)) continue
      seen.add(node.peer)
      list.push(node)
    }
    list.sort((a, b) => (this.space.distance(this.self.id, a.id) < this.space.distance(this.self.id, b.id) ? -1 : 1))
    this.successorList = list.length > 0 ? list.slice(0, this.successorListLength) : [this.self]
  }
}
