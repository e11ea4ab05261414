// The rows of the database tables, as schemas: a stable database received from a peer is checked
// against them before it replaces ours.
import { z } from 'zod'
import { Details, Recurrence } from './fields.ts'

const Time = z.number().int().min(0).max(8.64e15)
const Key = z.string().max(400)

export const CalendarEvent = z.object({
  id: Key,
  title: z.string().min(1).max(200),
  /** ms since the epoch; for a conflict, the first alternative asked for. */
  start: Time,
  end: Time,
  room: z.string().min(1).max(100),
  /** booked, or kept as an unresolved conflict because no alternative was free. */
  state: z.enum(['booked', 'conflict']),
  alternatives: z.array(Time).min(1).max(16),
  author: z.string().max(100),
  replica: Key,
  /** Events made by `schedule` (one-off or recurring, timed in a zone or all-day); absent for `reserve`. */
  recurrence: Recurrence.optional(),
  /** The UID it was imported with (iCalendar), kept for export and for re-imports to update it. */
  uid: z.string().min(1).max(400).optional(),
  ...Details.shape
}).strict()
export type CalendarEvent = z.infer<typeof CalendarEvent>

export const ReplicaRow = z.object({ member: z.string().min(1).max(100), retired: z.boolean(), joinedAt: z.number().int().min(0) }).strict()
export type ReplicaRow = z.infer<typeof ReplicaRow>

/** The stable database as sent to a peer behind the OSN. The `slots` index is not sent: it is rebuilt. */
export const StableDatabase = z.object({
  meta: z.record(Key, z.string().max(400)),
  events: z.record(Key, CalendarEvent),
  replicas: z.record(Key, ReplicaRow),
  /** invite hash → stamp of the write that recorded it */
  invites: z.record(Key, z.number().int().min(0))
}).strict()
export type StableDatabase = z.infer<typeof StableDatabase>
export const STABLE_TABLES = ['meta', 'events', 'replicas', 'invites'] as const
