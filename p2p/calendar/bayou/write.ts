// Writes and commit notices: each a link of a hash chain (chain.ts). The author signs its chain's head
// when it issues a write; the primary signs the commit chain's head at the end of each run it commits.
// A replica keeps only the signatures it verified (the last of each run it received), and sends a run
// up to one of them. Writes and notices stored by version 2 carry their own signature (`v1`) instead,
// verified one by one; a chain entry after one of them links to CHAIN_START.
import { z } from 'zod'
import type { Op } from './ops.ts'
import { isReplicaId, type ReplicaId } from './order.ts'
import { canonicalBytes, verifySignature, type Signer } from './signing.ts'
import { CHAIN_START, commitHash, signHead, writeHash } from './chain.ts'

export const ReplicaIdSchema = z.string().min(1).max(400).refine(isReplicaId, 'not a replica id')
export const Stamp = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
export const PeerIdString = z.string().min(40).max(100).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'not a peer id')
export const Signature = z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'not an Ed25519 signature')
export const Hash = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a SHA-256 hash')
export const CalendarId = z.string().regex(/^[a-z0-9]{16,64}$/, 'not a calendar id')

export interface Write {
  calendar: string
  replica: ReplicaId
  stamp: number
  author: string
  op: Op
  /** Hash of the previous write of this replica (CHAIN_START for its first, or after a `v1` write). */
  prev?: string
  /** This write's chain hash (absent for a `v1` write, and on a write not yet checked). */
  hash?: string
  /** The author's signature over `hash`, where this replica holds one. */
  sig?: string
  /** Version 2: the author's signature over this write alone. */
  v1?: string
}

/** The primary's statement that write <stamp, replica> has commit sequence number `csn`. */
export interface CommitNotice {
  calendar: string
  csn: number
  replica: ReplicaId
  stamp: number
  primary: string
  prev?: string
  hash?: string
  sig?: string
  v1?: string
}

/** A new write of ours: linked to our chain's head and signed. */
export function signWrite (signer: Signer, unsigned: { calendar: string, replica: ReplicaId, stamp: number, op: Op }, prev = CHAIN_START): Write {
  const body = { ...unsigned, author: signer.author }
  const hash = writeHash(prev, body)
  return { ...body, prev, hash, sig: signHead(signer, hash) }
}

/** A notice of ours as primary, linked to the commit chain; signed only if `sign` (a run's last). */
export function linkCommit (signer: Signer, unsigned: { calendar: string, csn: number, replica: ReplicaId, stamp: number }, prev: string, sign: boolean): CommitNotice {
  const body = { ...unsigned, primary: signer.author }
  const hash = commitHash(prev, body)
  return sign ? { ...body, prev, hash, sig: signHead(signer, hash) } : { ...body, prev, hash }
}

/** A version-2 write's own signature. */
export function v1WriteSignatureValid (w: Write): boolean {
  const { calendar, replica, stamp, author, op } = w
  return w.v1 !== undefined && verifySignature(author, canonicalBytes({ calendar, replica, stamp, author, op }), w.v1)
}

/** A version-2 commit notice's own signature. */
export function v1CommitSignatureValid (n: CommitNotice): boolean {
  const { calendar, csn, replica, stamp, primary } = n
  return n.v1 !== undefined && verifySignature(primary, canonicalBytes({ commit: { calendar, csn, replica, stamp, primary } }), n.v1)
}
