// Writes and commit notices as they travel: signed by their author, verified by every replica.
import { z } from 'zod'
import { Op } from './ops.ts'
import { isReplicaId, type ReplicaId } from './order.ts'
import { canonicalBytes, verifySignature, type Signer } from './signing.ts'

const ReplicaIdSchema = z.string().min(1).max(400).refine(isReplicaId, 'not a replica id')
const Stamp = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const PeerIdString = z.string().min(40).max(100)
const Signature = z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'not an Ed25519 signature')
export const CalendarId = z.string().regex(/^[a-z0-9]{16,64}$/, 'not a calendar id')

export const Write = z.object({
  calendar: CalendarId,
  replica: ReplicaIdSchema,
  stamp: Stamp,
  author: PeerIdString,
  op: Op,
  sig: Signature
}).strict()
export type Write = z.infer<typeof Write>

/** The primary's statement that write <stamp, replica> has commit sequence number `csn`. */
export const CommitNotice = z.object({
  calendar: CalendarId,
  csn: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  replica: ReplicaIdSchema,
  stamp: Stamp,
  primary: PeerIdString,
  sig: Signature
}).strict()
export type CommitNotice = z.infer<typeof CommitNotice>

export function signWrite (signer: Signer, unsigned: { calendar: string, replica: ReplicaId, stamp: number, op: Op }): Write {
  const body = { ...unsigned, author: signer.author }
  return { ...body, sig: signer.sign(canonicalBytes(body)) }
}

export function writeSignatureValid (w: Write): boolean {
  const { sig, ...body } = w
  return verifySignature(w.author, canonicalBytes(body), sig)
}

export function signCommit (signer: Signer, unsigned: { calendar: string, csn: number, replica: ReplicaId, stamp: number }): CommitNotice {
  const body = { ...unsigned, primary: signer.author }
  return { ...body, sig: signer.sign(canonicalBytes({ commit: body })) }
}

export function commitSignatureValid (notice: CommitNotice): boolean {
  const { sig, ...body } = notice
  return verifySignature(notice.primary, canonicalBytes({ commit: body }), sig)
}
