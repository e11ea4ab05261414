// Each replica's writes form a hash chain, and so do the commit notices (one chain per calendar,
// continued by each primary in turn), as in Hypercore or Secure Scuttlebutt: an entry's hash covers
// its body and the hash of the entry before it, and the author signs the hash of its newest entry.
// One signature verified at the end of a run then vouches for every entry of the run, in its order,
// linked to what the receiver already holds. Pure (hashing and Ed25519 through node:crypto).
import { createHash } from 'node:crypto'
import { canonicalJson, verifySignature, type Signer } from './signing.ts'

/** The link before a chain's first entry, and after a legacy entry (signed on its own, version 2). */
export const CHAIN_START = 'A'.repeat(43)

// Domain tags, so a write's hash can never pass for a notice's, nor either for a v2 signature.
const WRITE_TAG = 'tidepool calendar write chain 1\0'
const COMMIT_TAG = 'tidepool calendar commit chain 1\0'

export interface WriteBody { calendar: string, replica: string, stamp: number, author: string, op: unknown }
export interface CommitBody { calendar: string, csn: number, replica: string, stamp: number, primary: string }

// The fixed fields are joined by NUL, which none of them can hold (calendar and replica ids, peer ids
// and numbers are checked on the wire); the op as canonical JSON.
export function writeHash (prev: string, w: WriteBody): string {
  return createHash('sha256').update(`${WRITE_TAG}${prev}\0${w.calendar}\0${w.replica}\0${w.stamp}\0${w.author}\0${canonicalJson(w.op)}`).digest('base64url')
}

export function commitHash (prev: string, n: CommitBody): string {
  return createHash('sha256').update(`${COMMIT_TAG}${prev}\0${n.calendar}\0${n.csn}\0${n.replica}\0${n.stamp}\0${n.primary}`).digest('base64url')
}

/** The author's signature over the head of its chain. */
export function signHead (signer: Signer, hash: string): string {
  return signer.sign(new TextEncoder().encode(`head ${hash}`))
}

export function headSignatureValid (author: string, hash: string, sig: string): boolean {
  return verifySignature(author, new TextEncoder().encode(`head ${hash}`), sig)
}
