// The Chord protocol's messages (zod schemas), limits and the checks that turn wire nodes into routing
// nodes. Pure: no streams here. One request and one response per stream.
import { z } from 'zod'
import { chordId, idToHex } from './ring.ts'
import type { NodeRef, StepAnswer } from './routing-table.ts'
import { MAX_CLOCK_SKEW_MS, type ChordRecord } from './records.ts'
import { MAX_SIGNATURE_CHARS, SIGNATURE_PATTERN, hasPublisherSignature } from '../signed-records.ts'


export const MAX_MESSAGE_BYTES = 64 * 1024
/** Longest node list in any message: a successor list or an avoid list. */
export const MAX_NODES = 32
export const MAX_ADDRS = 8
export const MAX_RECORDS = 64
export const MAX_VALUE_CHARS = 4096
export const MAX_KEY_CHARS = 256

const Hex160 = z.string().regex(/^[0-9a-f]{40}$/, 'an id is 40 lowercase hex digits (160 bits)')
const PeerIdText = z.string().min(16).max(128).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'a peer id is base58')

export const WireNode = z.object({
  peer: PeerIdText,
  id: Hex160,
  addrs: z.array(z.string().min(1).max(256)).max(MAX_ADDRS)
}).strict()
export type WireNode = z.infer<typeof WireNode>

export const WireRecord = z.object({
  keyId: Hex160,
  key: z.string().min(1).max(MAX_KEY_CHARS),
  publisher: PeerIdText,
  value: z.string().max(MAX_VALUE_CHARS),
  expiresAt: z.number().int().nonnegative(),
  /** The publisher's signature over key, publisher, value and expiresAt (../signed-records.ts). */
  signature: z.string().max(MAX_SIGNATURE_CHARS).regex(SIGNATURE_PATTERN)
}).strict()

export const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), key: Hex160, avoid: z.array(PeerIdText).max(MAX_NODES) }).strict(),
  z.object({ type: z.literal('neighbours') }).strict(),
  /** "I might be your predecessor": the candidate is the authenticated remote peer, never a claimed one. */
  z.object({ type: z.literal('notify'), addrs: z.array(z.string().min(1).max(256)).max(MAX_ADDRS) }).strict(),
  z.object({ type: z.literal('ping') }).strict(),
  z.object({ type: z.literal('store'), records: z.array(WireRecord).max(MAX_RECORDS) }).strict(),
  z.object({ type: z.literal('fetch'), keyId: Hex160 }).strict()
])
export type Request = z.infer<typeof Request>

export const StepResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('found'), successors: z.array(WireNode).min(1).max(MAX_NODES) }).strict(),
  z.object({ kind: z.literal('next'), node: WireNode }).strict(),
  z.object({ kind: z.literal('stuck') }).strict()
])
export const NeighboursResponse = z.object({ predecessor: WireNode.nullable(), successors: z.array(WireNode).max(MAX_NODES) }).strict()
export const NotifyResponse = z.object({ accepted: z.boolean() }).strict()
export const PingResponse = z.object({ pong: z.literal(true) }).strict()
export const StoreResponse = z.object({ stored: z.number().int().nonnegative() }).strict()
export const FetchResponse = z.object({ records: z.array(WireRecord).max(MAX_RECORDS) }).strict()

/** A node that is not where it says it is on the ring: its id must be SHA-1 of its peer id. */
export class ChordProtocolError extends Error {
  override name = 'ChordProtocolError'
  readonly code = 'lying-node'
}

/** A routing node with the addresses it was announced with. */
export interface ChordNode extends NodeRef {
  addrs: string[]
}

export function fromWire (node: WireNode): ChordNode {
  const id = chordId(node.peer)
  if (idToHex(id) !== node.id) throw new ChordProtocolError(`node ${node.peer} claims id ${node.id}, but SHA-1 of its peer id is ${idToHex(id)}`)
  return { id, peer: node.peer, addrs: node.addrs }
}

export function toWire (node: NodeRef, addrsOf: (peer: string) => string[]): WireNode {
  return { peer: node.peer, id: idToHex(node.id), addrs: addrsOf(node.peer).slice(0, MAX_ADDRS) }
}

export function stepToWire (answer: StepAnswer, addrsOf: (peer: string) => string[]): z.infer<typeof StepResponse> {
  if (answer.kind === 'found') return { kind: 'found', successors: answer.successors.slice(0, MAX_NODES).map(n => toWire(n, addrsOf)) }
  if (answer.kind === 'next') return { kind: 'next', node: toWire(answer.node, addrsOf) }
  return answer
}

export function stepFromWire (wire: z.infer<typeof StepResponse>): StepAnswer {
  if (wire.kind === 'found') return { kind: 'found', successors: wire.successors.map(fromWire) }
  if (wire.kind === 'next') return { kind: 'next', node: fromWire(wire.node) }
  return wire
}

/**
 * A record as received, checked before it is kept or believed: its key id must be SHA-1 of its key, it
 * may not claim to live longer than ttl from now (give or take clock skew; the expiry is signed, so it
 * cannot be capped here), and it must carry its publisher's signature over exactly these fields.
 */
export async function verifiedRecord (record: z.infer<typeof WireRecord>, now: number, ttlMs: number): Promise<ChordRecord> {
  if (idToHex(chordId(record.key)) !== record.keyId) throw new ChordProtocolError(`record key ${JSON.stringify(record.key)} does not hash to ${record.keyId}`)
  if (record.expiresAt > now + ttlMs + MAX_CLOCK_SKEW_MS) throw new ChordProtocolError(`record for ${JSON.stringify(record.key)} claims to live past its lifetime`)
  if (!await hasPublisherSignature(record, record.signature)) throw new ChordProtocolError(`record for ${JSON.stringify(record.key)} is not signed by its publisher ${record.publisher}`)
  return record
}
