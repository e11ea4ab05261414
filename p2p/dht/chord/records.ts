// Pure: the key/value records a Chord node holds and the rules for where they belong. A record is
// (key, publisher) → value, so many publishers can put under one key (provider records are this).
// Records live on the key's r successors, expire unless re-put, and move to a node that joins in front of them.
import type { RingSpace } from './ring.ts'
import type { ChordRoutingTable, NodeRef } from './routing-table.ts'

/** A record lives this long unless its publisher puts it again. */
export const RECORD_TTL_MS = 24 * 60 * 60 * 1000
/** How far ahead of ours a publisher's clock may run: a record may claim to live this much past the TTL. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

export interface ChordRecord {
  /** The key's place on the ring (SHA-1 of key), as 40 hex digits. */
  keyId: string
  /** The key as the application named it (a CID string). */
  key: string
  publisher: string
  value: string
  /** Milliseconds since the epoch (or simulated time) after which the record is gone. */
  expiresAt: number
  /** The publisher's signature over the fields above but keyId (../signed-records.ts). */
  signature: string
}

export function isExpired (record: ChordRecord, now: number): boolean {
  return record.expiresAt <= now
}

/** Of two copies of the same (key, publisher), keep the one that lives longer. */
export function newer (a: ChordRecord | undefined, b: ChordRecord): ChordRecord {
  return a === undefined || b.expiresAt > a.expiresAt ? b : a
}

/**
 * When a node joins in front of us (we accept it as predecessor), the records between our old
 * predecessor and it now belong to it: the lecture's "successor moves some keys to it".
 */
export function recordsToHandOver (records: Iterable<ChordRecord>, space: RingSpace, oldPredecessor: NodeRef | undefined, newPredecessor: NodeRef, self: NodeRef): ChordRecord[] {
  const from = oldPredecessor?.id ?? self.id
  return [...records].filter(r => space.betweenRightInclusive(BigInt(`0x${r.keyId}`), from, newPredecessor.id))
}

/** Records this node owns (key in (predecessor, self]): it pushes them to its successors, re-replicating after failures. */
export function ownedRecords (records: Iterable<ChordRecord>, table: ChordRoutingTable): ChordRecord[] {
  return [...records].filter(r => table.owns(BigInt(`0x${r.keyId}`)))
}
