// The fixed, versioned set of update functions (version 2: version 1 plus the series writes). A write
// carries one of these as data; the code that runs it is ours (update-functions.ts), never anything
// received from a peer. The set is part of the sync protocol: changing it means a new protocol version
// (sync/protocol.ts).
import { z } from 'zod'
import { Rule } from '../recurrence/rule.ts'
import { Details, Duration, LocalTime, MAX_DATES, MAX_ROOM, MAX_TITLE, Override, SeriesChanges, Time, Zone } from './fields.ts'

export const MAX_ALTERNATIVES = 16
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
  z.object({ kind: z.literal('edit'), eventId: EventId, title: z.string().min(1).max(MAX_TITLE).optional(), room: z.string().min(1).max(MAX_ROOM).optional() }).strict(),
  /**
   * An event with its own time zone, one-off or recurring (RFC 5545 rule, RDATE, EXDATE), or all-day
   * (zone null, times are dates at midnight). Always kept; an occurrence that collides with an earlier
   * booking of its room is marked a conflict (series.ts).
   */
  Details.extend({
    kind: z.literal('schedule'),
    title: z.string().min(1).max(MAX_TITLE),
    room: z.string().min(1).max(MAX_ROOM),
    start: LocalTime,
    zone: Zone.nullable(),
    durationMinutes: Duration,
    rule: Rule.optional(),
    rdates: z.array(LocalTime).max(MAX_DATES).optional(),
    exdates: z.array(LocalTime).max(MAX_DATES).optional(),
    /** Occurrences made different from the start (an imported series' RECURRENCE-ID events). */
    overrides: z.record(z.string().regex(/^\d{1,16}$/), Override).optional(),
    uid: z.string().min(1).max(400).optional()
  }).strict(),
  /**
   * "This occurrence": cancel it, or change it. `occurrence` is its id as the author saw it, when the
   * series had had `rev` "all events" changes: later ones that moved the series move it along.
   */
  z.object({ kind: z.literal('occurrence'), eventId: EventId, occurrence: LocalTime, rev: z.number().int().min(0), cancel: z.literal(true).optional(), change: Override.optional() })
    .strict().refine(op => (op.cancel === true) !== (op.change !== undefined), 'either cancel or change'),
  /** "This and following": the series ends before the occurrence; a new one, changed, continues from it. */
  z.object({ kind: z.literal('following'), eventId: EventId, occurrence: LocalTime, rev: z.number().int().min(0), changes: SeriesChanges }).strict(),
  /** "All events": exceptions (cancelled or changed occurrences) move with the series. */
  z.object({ kind: z.literal('series'), eventId: EventId, changes: SeriesChanges }).strict()
])
export type Op = z.infer<typeof Op>

/** What a write did when it ran at its current place in the log. */
export interface Outcome {
  ok: boolean
  /** e.g. "booked 2026-11-23T10:00:00.000Z", "conflict: no alternative free", "slot taken". */
  detail: string
}
