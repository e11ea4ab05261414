// The fixed, versioned set of update functions (version 1). A write carries one of these as data; the
// code that runs it is ours (update-functions.ts), never anything received from a peer. The set is part
// of the sync protocol: changing it means a new protocol version (sync/protocol.ts).
import { z } from 'zod'

const MAX_TITLE = 200
const MAX_ROOM = 100
export const MAX_ALTERNATIVES = 16
const Time = z.number().int().min(0).max(8.64e15) // ms since the epoch, the range of a Date
/** Whole minutes; 0 for an instant (iCalendar allows it), up to a year (long all-day events). */
const Duration = z.number().int().min(0).max(366 * 24 * 60)
const EventId = z.string().min(3).max(400)
const PeerIdString = z.string().min(40).max(100).regex(/^[1-9A-HJ-NP-Za-km-z]+$/)

export const Op = z.discriminatedUnion('kind', [
  /** Genesis: the root replica names the calendar and becomes its primary. */
  z.object({ kind: z.literal('create'), name: z.string().min(1).max(MAX_TITLE) }).strict(),
  /** Records an invite's hash, so any member can admit the holder. */
  z.object({ kind: z.literal('invite'), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  /** Creates replica <stamp, issuer> for the peer `member`. */
  z.object({ kind: z.literal('join'), member: PeerIdString }).strict(),
  /** The issuing replica leaves; its last write. */
  z.object({ kind: z.literal('retire') }).strict(),
  /** The primary hands its role (assigning CSNs) to another member. */
  z.object({ kind: z.literal('handoff'), to: z.string().min(1).max(400) }).strict(),
  /** Book `title` at the first free start among `alternatives`, else keep it as a conflict. */
  z.object({
    kind: z.literal('reserve'),
    title: z.string().min(1).max(MAX_TITLE),
    durationMinutes: Duration,
    alternatives: z.array(Time).min(1).max(MAX_ALTERNATIVES),
    room: z.string().min(1).max(MAX_ROOM)
  }).strict(),
  z.object({ kind: z.literal('cancel'), eventId: EventId }).strict(),
  /** Move only if the new slot is free. */
  z.object({ kind: z.literal('move'), eventId: EventId, start: Time, durationMinutes: Duration.optional() }).strict(),
  /** Retitle, or change room only if the room is free then. */
  z.object({ kind: z.literal('edit'), eventId: EventId, title: z.string().min(1).max(MAX_TITLE).optional(), room: z.string().min(1).max(MAX_ROOM).optional() }).strict()
])
export type Op = z.infer<typeof Op>

/** What a write did when it ran at its current place in the log. */
export interface Outcome {
  ok: boolean
  /** e.g. "booked 2026-11-23T10:00:00.000Z", "conflict: no alternative free", "slot taken". */
  detail: string
}
