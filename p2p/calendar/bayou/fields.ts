// Field schemas shared by the update functions' data (ops.ts) and the rows they write (rows.ts): an
// event's times, its text fields, and a series' recurrence as kept in its row.
import { z } from 'zod'
import { Rule } from '../recurrence/rule.ts'
import { isTimeZone } from '../recurrence/zone.ts'

export const MAX_TITLE = 200
export const MAX_ROOM = 100
/** ms since the epoch, the range of a Date. */
export const Time = z.number().int().min(0).max(8.64e15)
/** A wall-clock time (recurrence/civil.ts): a series' DTSTART, RDATE, EXDATE and occurrence ids. */
export const LocalTime = z.number().int().min(0).max(8.6e15)
/** Whole minutes; 0 for an instant (iCalendar allows it), up to a year (long all-day events). */
export const Duration = z.number().int().min(0).max(366 * 24 * 60)
export const Title = z.string().min(1).max(MAX_TITLE)
export const Room = z.string().min(1).max(MAX_ROOM)
export const Zone = z.string().min(1).max(64).refine(isTimeZone, 'not an IANA time zone')
/** Dates a series lists (RDATE, EXDATE): enough for real files, bounded for the wire. */
export const MAX_DATES = 2000

/** Minutes before each start that the UI reminds (0: at the start), up to four weeks. */
export const ReminderMinutes = z.number().int().min(0).max(4 * 7 * 24 * 60)

/** What people write about an event besides its time and room. */
export const Details = z.object({
  description: z.string().max(4000).optional(),
  /** Free text: names or addresses, as the author wrote them. */
  attendees: z.string().max(2000).optional(),
  /** Absent: no reminder. */
  reminderMinutes: ReminderMinutes.optional()
}).strict()
export type Details = z.infer<typeof Details>

/** One occurrence of a series made different ("this occurrence"): moved, retitled, re-roomed, … */
export const Override = Details.extend({
  /** Absent: the series' reminder; null: none for this occurrence although the series has one. */
  reminderMinutes: ReminderMinutes.nullable().optional(),
  /** The new start (an instant); absent: where the series puts it. */
  start: Time.optional(),
  durationMinutes: Duration.optional(),
  title: Title.optional(),
  room: Room.optional()
}).strict()
export type Override = z.infer<typeof Override>

/** The time part of an event made by `schedule`: a recurrence set in a zone, or all-day dates. */
export const Recurrence = z.object({
  /** DTSTART, wall clock: a local time in `zone`, or midnight of the first day for an all-day event. */
  start: LocalTime,
  /** IANA zone; null for an all-day event (its dates are the same everywhere). */
  zone: Zone.nullable(),
  rule: Rule.optional(),
  rdates: z.array(LocalTime).max(MAX_DATES),
  exdates: z.array(LocalTime).max(MAX_DATES),
  /** Changed occurrences by their id (the wall-clock start the series gives them, as a string). */
  overrides: z.record(z.string().regex(/^\d{1,16}$/), Override),
  /** Set by "this and following": occurrences from this one on belong to the series `continuedBy`. */
  endsBefore: LocalTime.optional(),
  continuedBy: z.string().max(400).optional(),
  /**
   * How far "all events" writes moved DTSTART, one entry each (0 if they did not): a write about one
   * occurrence, issued when the series had fewer, finds that occurrence again by these shifts.
   */
  shifts: z.array(z.number().int()).max(100_000),
  /** Occurrences that collided with an earlier booking of their room when last checked. */
  conflicts: z.array(LocalTime).max(MAX_DATES * 10),
  /** The instants [from, to) within which occurrences were checked for conflicts and indexed. */
  horizon: z.tuple([Time, Time])
}).strict()
export type Recurrence = z.infer<typeof Recurrence>

/** A change to a whole series ("all events") or to the part a "this and following" starts. */
export const SeriesChanges = Details.extend({
  /** null: no reminder any more. */
  reminderMinutes: ReminderMinutes.nullable().optional(),
  /** New DTSTART (wall clock); exceptions move with it. */
  start: LocalTime.optional(),
  zone: Zone.nullable().optional(),
  durationMinutes: Duration.optional(),
  /** A new rule; null: no longer recurring. */
  rule: Rule.nullable().optional(),
  title: Title.optional(),
  room: Room.optional(),
  /** Replace the series' exceptions outright (a re-imported .ics file says what they are now). */
  rdates: z.array(LocalTime).max(MAX_DATES).optional(),
  exdates: z.array(LocalTime).max(MAX_DATES).optional(),
  overrides: z.record(z.string().regex(/^\d{1,16}$/), Override).optional()
}).strict()
export type SeriesChanges = z.infer<typeof SeriesChanges>
