// Replicas in memory for the Bayou tests: fresh Ed25519 identities, anti-entropy as a function call.
import { generateKeyPairSync } from 'node:crypto'
import { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import { signerFromRawKey, type Signer } from '../../../p2p/calendar/bayou/signing.ts'
import type { CalendarEvent } from '../../../p2p/calendar/bayou/rows.ts'
import type { ReplicaId } from '../../../p2p/calendar/bayou/order.ts'

export const CALENDAR = 'c0ffee0000000000'
export const HOUR = 3_600_000
/** 2026-11-23 00:00 UTC: the day the lecture's meetings are booked on. */
export const DAY = Date.UTC(2026, 10, 23)
export const at = (hour: number): number => DAY + hour * HOUR

export function newSigner (): Signer {
  const { privateKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' })
  const raw = new Uint8Array(64)
  raw.set(Buffer.from(jwk.d as string, 'base64url'), 0)
  raw.set(Buffer.from(jwk.x as string, 'base64url'), 32)
  return signerFromRawKey(raw)
}

const signers = new WeakMap<Replica, Signer>()

/** The key a test replica signs with (to forge with a real member's key, or to restore it). */
export function signerOf (r: Replica): Signer {
  return signers.get(r) as Signer
}

export function createCalendar (now = 1): Replica {
  const signer = newSigner()
  const replica = Replica.create({ calendar: CALENDAR, name: 'Conference room', signer, now })
  signers.set(replica, signer)
  return replica
}

/** `sponsor` admits a new peer; the newcomer is filled in by anti-entropy from its sponsor. */
export function join (sponsor: Replica, now: number): Replica {
  const signer = newSigner()
  const { write } = sponsor.issue({ kind: 'join', member: signer.author }, now)
  const replica = Replica.joining({ calendar: CALENDAR, id: `<${write.stamp},${sponsor.id}>` as ReplicaId, signer })
  signers.set(replica, signer)
  sync(sponsor, replica)
  return replica
}

/** One-way anti-entropy: `from` sends `to` what it lacks. */
export function sync (from: Replica, to: Replica): ReturnType<Replica['receive']> {
  return to.receive(from.batchFor(to.summary()))
}

export function syncBoth (a: Replica, b: Replica): void {
  sync(a, b)
  sync(b, a)
}

export function reserve (r: Replica, title: string, hours: number[], now: number): ReturnType<Replica['issue']> {
  return r.issue({ kind: 'reserve', title, durationMinutes: 60, alternatives: hours.map(at), room: 'main' }, now)
}

/** title → hour of day it is booked at (or "conflict"). */
export function schedule (r: Replica): Record<string, number | 'conflict'> {
  const out: Record<string, number | 'conflict'> = {}
  for (const [, e] of r.database.rows<CalendarEvent>('events')) out[e.title] = e.state === 'conflict' ? 'conflict' : (e.start - DAY) / HOUR
  return out
}

/** Everything a replica holds, for "identical" and "nothing changed" assertions. */
export function fingerprint (r: Replica): string {
  return JSON.stringify({
    db: r.database.snapshot(),
    log: r.log().map(e => [e.write.stamp, e.write.replica, e.csn, e.outcome]),
    vv: r.versionVector(),
    csn: r.csn
  })
}

/** The database and log, without per-replica facts such as the OSN. */
export function sharedState (r: Replica): string {
  return JSON.stringify({ db: r.database.snapshot(), log: r.log().map(e => [e.write.stamp, e.write.replica, e.csn]) })
}
