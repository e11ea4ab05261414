// The calendar's published API contract (docs/API.md, "Calendar"): the answers' shapes and the events.
// Pure (zod, and types from view.ts that are erased), so the renderer imports it as it is.
import { z } from 'zod'
import type { CalendarErrorCode } from './errors.ts'
import type { BayouErrorCode } from './bayou/errors.ts'

export type { EventView, MemberView, WriteView, CalendarView, OutcomeChange } from './view.ts'

export interface CalendarSummary {
  id: string
  name: string
  replica: string
  primary: string
  highestCsn: number
  events: number
  members: number
}

export interface WriteResult {
  writeId: string
  stamp: number
  outcome: { ok: boolean, detail: string }
}

export interface SyncResult {
  peers: Array<{ peerId: string, ok: boolean, error?: string, stats?: { sentWrites: number, receivedWrites: number, receivedCommits: number } }>
}

export interface CreatedCalendar { id: string, invite: string }
export interface JoinedCalendar { id: string }
export interface InviteResult { invite: string }
export interface IcsImportResult { imported: number, updated: number, conflicts: number, warnings: string[] }

export interface OccurrenceView {
  /** The event (series or one-off) it belongs to: the eventId of writes on it. */
  seriesId: string
  /** `seriesId/20261116T100000`: unique in the calendar. */
  occurrenceId: string
  /** Its id within the series (RECURRENCE-ID), for `occurrence` and `following` writes. */
  occurrence: string
  /** The series' count of "all events" changes: send it back as `rev`. */
  rev: number
  recurring: boolean
  /** The series' RRULE value as stored (UNTIL as …Z, or a date for an all-day series); null: none. */
  rrule: string | null
  /** The series' DTSTART, wall clock in `zone` (`20261102T100000`, or `20261102`); null for an event made by `reserve`. */
  seriesStart: string | null
  title: string
  room: string
  /** ISO instants; for an all-day event, UTC midnights of its dates. */
  start: string
  end: string
  allDay: boolean
  /** The IANA zone the event keeps (null: all-day). */
  zone: string | null
  status: 'committed' | 'tentative' | 'conflict'
  /** This occurrence was changed on its own ("this occurrence"). */
  changed: boolean
  description: string | null
  attendees: string | null
  reminderMinutes: number | null
}

export interface OccurrencesResult { from: string, to: string, truncated: boolean, occurrences: OccurrenceView[] }

const IsoTime = z.iso.datetime({ offset: true })
const EventId = z.string().min(3).max(400)
/** POST /api/calendars/:id/writes: one update function, with ISO times. */
export const WriteRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('reserve'), title: z.string(), durationMinutes: z.number(), alternatives: z.array(IsoTime).min(1), room: z.string().optional() }).strict(),
  z.object({ op: z.literal('cancel'), eventId: EventId }).strict(),
  z.object({ op: z.literal('move'), eventId: EventId, start: IsoTime, durationMinutes: z.number().optional() }).strict(),
  z.object({ op: z.literal('edit'), eventId: EventId, title: z.string().optional(), room: z.string().optional() }).strict(),
  z.object({ op: z.literal('handoff'), to: z.string() }).strict(),
  z.object({ op: z.literal('retire') }).strict()
])
export type WriteRequest = z.infer<typeof WriteRequest>

/** `2026-11-02T10:00`, `2026-11-02T10:00:00` or, for all-day events, `2026-11-02`: no offset, a wall clock. */
const WallClock = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, 'a wall-clock time like 2026-11-02T10:00 (no offset) or a date')
/** An occurrence id as the occurrences query gives it: `20261116T100000` (or `20261116`). */
const OccurrenceKey = z.string().regex(/^\d{8}(T\d{6})?$/, 'an occurrence id like 20261116T100000')
const DetailFields = { description: z.string().optional(), attendees: z.string().optional(), reminderMinutes: z.number().optional() }
/** A change's details: `reminderMinutes` null removes the reminder (of the series, or of one occurrence). */
const ChangedDetailFields = { ...DetailFields, reminderMinutes: z.number().nullable().optional() }
/** What a "this and following" or "all events" write changes. */
export const SeriesChangesRequest = z.object({
  start: WallClock.optional(),
  zone: z.string().nullable().optional(),
  durationMinutes: z.number().optional(),
  rrule: z.string().max(1000).nullable().optional(),
  title: z.string().optional(),
  room: z.string().optional(),
  ...ChangedDetailFields
}).strict()

/** POST /api/calendars/:id/writes: the event and series writes (docs/API.md). */
export const SeriesWriteRequest = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('schedule'),
    title: z.string(),
    room: z.string().optional(),
    start: WallClock,
    /** IANA zone of a timed event; absent for an all-day one (start is then a date). */
    zone: z.string().optional(),
    durationMinutes: z.number(),
    rrule: z.string().max(1000).optional(),
    rdates: z.array(WallClock).optional(),
    exdates: z.array(WallClock).optional(),
    ...DetailFields
  }).strict(),
  z.object({
    op: z.literal('occurrence'),
    eventId: EventId,
    occurrence: OccurrenceKey,
    rev: z.number(),
    cancel: z.literal(true).optional(),
    change: z.object({ start: IsoTime.optional(), durationMinutes: z.number().optional(), title: z.string().optional(), room: z.string().optional(), ...ChangedDetailFields }).strict().optional()
  }).strict(),
  z.object({ op: z.literal('following'), eventId: EventId, occurrence: OccurrenceKey, rev: z.number(), changes: SeriesChangesRequest }).strict(),
  z.object({ op: z.literal('series'), eventId: EventId, changes: SeriesChangesRequest }).strict()
])
export type SeriesWriteRequest = z.infer<typeof SeriesWriteRequest>
export type SeriesChangesRequest = z.infer<typeof SeriesChangesRequest>

const Count = z.number().int().nonnegative()

export const CalendarEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('calendar:changed'), calendarId: z.string() }),
  z.object({ type: z.literal('calendar:synced'), calendarId: z.string(), peerId: z.string(), sent: Count, received: Count }),
  /** A member became unreachable, or for another reason: `reason` in plain language. */
  z.object({ type: z.literal('calendar:unreachable'), calendarId: z.string(), peerId: z.string(), reason: z.string() }),
  z.object({ type: z.literal('calendar:outcome-changed'), calendarId: z.string(), writeId: z.string(), before: z.string(), after: z.string() })
])
export type CalendarEvent = z.infer<typeof CalendarEvent>

/** The codes the calendar routes answer with (besides the API's own, ApiBaseErrorCode). */
export type CalendarApiErrorCode = CalendarErrorCode | BayouErrorCode
