// Pure: Chord's iterative lookup as a generator. It yields "ask this node one routing step" and is
// resumed with the node's answer (or undefined when it did not answer in time). The simulator resumes
// it synchronously from its in-memory nodes; the libp2p protocol resumes it with real RPC answers.
import type { ChordRoutingTable, NodeRef, StepAnswer } from './routing-table.ts'

export const DEFAULT_MAX_HOPS = 64
/** Cap on the avoid list sent with each step, so a lookup through many dead nodes stays small on the wire. */
export const MAX_AVOID = 32

export interface StepRequest {
  to: NodeRef
  key: bigint
  avoid: ReadonlySet<string>
}

export type LookupOutcome =
  | { ok: true, successors: NodeRef[], hops: number, path: NodeRef[], dead: string[] }
  | { ok: false, reason: 'stuck' | 'too-many-hops', hops: number, path: NodeRef[], dead: string[] }

/**
 * Iterative lookup of key's successors starting at table's node. Hops count the remote nodes asked
 * (answered or not); path lists the nodes that answered, in order. When a node fails to answer, it is
 * avoided from then on and the last node that did answer is asked again for another way round.
 */
export function * lookup (table: ChordRoutingTable, key: bigint, maxHops = DEFAULT_MAX_HOPS): Generator<StepRequest, LookupOutcome, StepAnswer | undefined> {
  const avoid = new Set<string>()
  const dead: string[] = []
  const path: NodeRef[] = []
  let hops = 0
  const request = (to: NodeRef): StepRequest => ({ to, key, avoid: new Set([...avoid].slice(-MAX_AVOID)) })
  /** A reply we can use: any found/stuck, or a next hop strictly closer to the key (so lookups always progress). */
  const usable = (from: NodeRef, reply: StepAnswer | undefined): reply is StepAnswer =>
    reply !== undefined && (reply.kind !== 'next' || table.space.between(reply.node.id, from.id, key))

  let answer: StepAnswer = table.step(key, avoid)
  while (true) {
    if (answer.kind === 'found') return { ok: true, successors: answer.successors, hops, path, dead }
    if (answer.kind === 'stuck') return { ok: false, reason: 'stuck', hops, path, dead }
    if (hops >= maxHops) return { ok: false, reason: 'too-many-hops', hops, path, dead }
    const next = answer.node
    hops++
    const reply = yield request(next)
    if (usable(next, reply)) {
      path.push(next)
      answer = reply
      continue
    }
    // No (usable) answer: avoid that node from now on and ask the last node that did answer for
    // another way round, backing up further while those fail too.
    avoid.add(next.peer)
    dead.push(next.peer)
    answer = { kind: 'stuck' }
    while (path.length > 0 && hops < maxHops) {
      const previous = path[path.length - 1] as NodeRef
      hops++
      const retry = yield request(previous)
      if (usable(previous, retry)) { answer = retry; break }
      avoid.add(previous.peer)
      dead.push(previous.peer)
      path.pop()
    }
    if (path.length === 0) answer = table.step(key, avoid)
  }
}

/** Runs a lookup against a synchronous answerer (the simulator). */
export function runLookupSync (table: ChordRoutingTable, key: bigint, ask: (request: StepRequest) => StepAnswer | undefined, maxHops?: number): LookupOutcome {
  const steps = lookup(table, key, maxHops)
  let next = steps.next()
  while (next.done !== true) next = steps.next(ask(next.value))
  return next.value
}

/** Runs a lookup against an asynchronous answerer (the libp2p protocol). */
export async function runLookup (table: ChordRoutingTable, key: bigint, ask: (request: StepRequest) => Promise<StepAnswer | undefined>, maxHops?: number): Promise<LookupOutcome> {
  const steps = lookup(table, key, maxHops)
  let next = steps.next()
  while (next.done !== true) next = steps.next(await ask(next.value))
  return next.value
}
