// The calendar's published API contract (docs/API.md, "Calendar"): the answers' shapes and the events.
// Pure (zod, and types from view.ts that are erased), so the renderer imports it as it is.
import { z } from 'zod'
import type { CalendarErrorCode } from './errors.ts'
import type { BayouErrorCode } from './bayou/errors.ts'

export type { EventView, MemberView, WriteView, CalendarView } from './view.ts'

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
export interface IcsImportResult { imported: number, conflicts: number }

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
