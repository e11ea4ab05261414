// The calendar UI's pure parts: wall clocks in IANA zones (DST gaps and repeats), the Repeat choices
// ↔ RRULE, the writes each scope of an edit makes, reminders due once, and the month/week/day views.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { instantIn, wallClockIn } from '../../../renderer/src/calendar/zones.ts'
import { describeRrule, fromRrule, NO_REPEAT, toRrule, type Repeat } from '../../../renderer/src/calendar/repeat.ts'
import { cancelRequest, createRequest, draftAt, draftOf, draftOnDay, draftProblem, editRequests, moveRequests, shiftWeekdays } from '../../../renderer/src/calendar/writes.ts'
import { dueReminders, nextReminder, reminderKey } from '../../../renderer/src/calendar/reminders.ts'
import { atMinutes, localDate, minutesAt, stepAnchor, viewDays } from '../../../renderer/src/calendar/time.ts'
import type { OccurrenceView } from '../../../renderer/src/calendar/types.ts'

const BERLIN = 'Europe/Berlin'
const NEW_YORK = 'America/New_York'

test('wall clocks in a zone, both ways, across DST changes', () => {
  assert.deepEqual(wallClockIn(BERLIN, Date.parse('2026-11-23T09:00:00Z')), { date: '2026-11-23', time: '10:00' })
  assert.equal(new Date(instantIn(BERLIN, { date: '2026-07-01', time: '10:00' })).toISOString(), '2026-07-01T08:00:00.000Z')
  assert.equal(new Date(instantIn(NEW_YORK, { date: '2026-11-01', time: '12:00' })).toISOString(), '2026-11-01T17:00:00.000Z')
  // 02:30 does not exist on 29 March 2026 in Berlin: read with the offset before the gap (03:30 CEST).
  assert.equal(new Date(instantIn(BERLIN, { date: '2026-03-29', time: '02:30' })).toISOString(), '2026-03-29T01:30:00.000Z')
  // 02:30 happens twice on 25 October 2026: the first.
  assert.equal(new Date(instantIn(BERLIN, { date: '2026-10-25', time: '02:30' })).toISOString(), '2026-10-25T00:30:00.000Z')
  assert.equal(new Date(instantIn(NEW_YORK, { date: '2026-11-01', time: '01:30' })).toISOString(), '2026-11-01T05:30:00.000Z')
})

test('Repeat choices ↔ RRULE', () => {
  const weekly = { ...NO_REPEAT, preset: 'weekly' as const, days: ['MO' as const, 'WE' as const] }
  assert.equal(toRrule(weekly, BERLIN, '2026-11-23'), 'FREQ=WEEKLY;BYDAY=MO,WE')
  assert.equal(toRrule({ ...weekly, days: [] }, BERLIN, '2026-11-26'), 'FREQ=WEEKLY;BYDAY=TH')
  assert.equal(toRrule({ ...NO_REPEAT, preset: 'monthly' }, BERLIN, '2026-11-26'), 'FREQ=MONTHLY')
  const custom: Repeat = { ...NO_REPEAT, preset: 'custom', freq: 'WEEKLY', interval: 2, days: ['FR'], ends: 'until', until: '2026-12-31' }
  const text = toRrule(custom, BERLIN, '2026-11-27')
  assert.equal(text, 'FREQ=WEEKLY;INTERVAL=2;UNTIL=20261231T225900Z;BYDAY=FR') // 23:59 Berlin
  assert.deepEqual(fromRrule(text, BERLIN), custom)
  assert.equal(toRrule({ ...custom, ends: 'count', count: 5 }, null, '2026-11-27'), 'FREQ=WEEKLY;INTERVAL=2;COUNT=5;BYDAY=FR')
  assert.equal(toRrule({ ...custom, until: '2026-12-31' }, null, '2026-11-27'), 'FREQ=WEEKLY;INTERVAL=2;UNTIL=20261231;BYDAY=FR')
  assert.equal(fromRrule('FREQ=WEEKLY;BYDAY=MO,WE', BERLIN).preset, 'weekly')
  assert.equal(fromRrule('FREQ=YEARLY', null).preset, 'yearly')
  assert.equal(fromRrule('FREQ=MONTHLY;BYDAY=-1FR', BERLIN).preset, 'other')
  assert.equal(fromRrule('FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO', BERLIN).preset, 'other')
  assert.equal(describeRrule('FREQ=WEEKLY;BYDAY=MO,WE', BERLIN), 'Weekly on Mon, Wed')
  assert.equal(describeRrule('FREQ=DAILY;INTERVAL=3;COUNT=4', BERLIN), 'Every 3 days, 4 times')
  assert.equal(describeRrule(null, BERLIN), 'Does not repeat')
})

/** A Monday 10:00–11:00 Berlin occurrence of a weekly series that started 2 Nov. */
function standup (over: Partial<OccurrenceView> = {}): OccurrenceView {
  return {
    seriesId: '100@R', occurrenceId: '100@R/20261123T100000', occurrence: '20261123T100000', rev: 1, recurring: true,
    rrule: 'FREQ=WEEKLY;BYDAY=MO', seriesStart: '20261102T100000', title: 'Standup', room: 'main',
    start: '2026-11-23T09:00:00.000Z', end: '2026-11-23T10:00:00.000Z', allDay: false, zone: BERLIN, status: 'committed',
    changed: false, description: null, attendees: null, reminderMinutes: null, ...over
  }
}

test('a new event: a schedule write in the zone chosen, all-day as dates, with its repeat rule', () => {
  const d = { ...draftAt(Date.parse('2026-11-23T09:00:00Z'), 90, BERLIN), title: ' Review ', room: 'Room A', reminderMinutes: 10 }
  assert.deepEqual(createRequest(d), { op: 'schedule', title: 'Review', room: 'Room A', start: '2026-11-23T10:00', zone: BERLIN, durationMinutes: 90, reminderMinutes: 10 })
  const offsite = { ...draftOnDay('2026-11-26', BERLIN), title: 'Offsite', end: { date: '2026-11-27', time: '' }, repeat: { ...NO_REPEAT, preset: 'yearly' as const } }
  assert.deepEqual(createRequest(offsite), { op: 'schedule', title: 'Offsite', start: '2026-11-26', durationMinutes: 2880, rrule: 'FREQ=YEARLY' })
  assert.equal(draftProblem({ ...d, title: '' }), 'Give the event a title.')
  assert.equal(draftProblem({ ...d, end: d.start }), 'It ends before it starts.')
  assert.equal(draftProblem(d), null)
})

test('editing a recurring event: this event, this and following, all events', () => {
  const o = standup()
  const before = draftOf(o, NEW_YORK)
  assert.deepEqual([before.zone, before.start, before.end], [BERLIN, { date: '2026-11-23', time: '10:00' }, { date: '2026-11-23', time: '11:00' }])
  assert.equal(before.repeat.preset, 'weekly')
  const later = { ...before, title: 'Standup!', start: { date: '2026-11-23', time: '11:00' }, end: { date: '2026-11-23', time: '12:00' } }
  assert.deepEqual(editRequests(o, before, later, 'this'), [{ op: 'occurrence', eventId: '100@R', occurrence: '20261123T100000', rev: 1, change: { title: 'Standup!', start: '2026-11-23T10:00:00.000Z', durationMinutes: 60 } }])
  assert.deepEqual(editRequests(o, before, later, 'following'), [{ op: 'following', eventId: '100@R', occurrence: '20261123T100000', rev: 1, changes: { title: 'Standup!', start: '2026-11-23T11:00', durationMinutes: 60 } }])
  // All events: DTSTART moves by as much as this occurrence did.
  assert.deepEqual(editRequests(o, before, later, 'all'), [{ op: 'series', eventId: '100@R', changes: { title: 'Standup!', start: '2026-11-02T11:00', durationMinutes: 60 } }])
  // Moved to Tuesday, all events: the weekday moves too.
  const tuesday = { ...before, start: { date: '2026-11-24', time: '10:00' }, end: { date: '2026-11-24', time: '11:00' } }
  assert.deepEqual(editRequests(o, before, tuesday, 'all'), [{ op: 'series', eventId: '100@R', changes: { start: '2026-11-03T10:00', durationMinutes: 60, rrule: 'FREQ=WEEKLY;BYDAY=TU' } }])
  assert.deepEqual(editRequests(o, before, before, 'all'), [])
  // A new rule for all events; the description too.
  const daily = { ...before, description: 'notes', repeat: { ...NO_REPEAT, preset: 'daily' as const } }
  assert.deepEqual(editRequests(o, before, daily, 'all'), [{ op: 'series', eventId: '100@R', changes: { description: 'notes', rrule: 'FREQ=DAILY' } }])
  // A reminder set to None is said as null, for one occurrence or all events.
  const reminded = standup({ reminderMinutes: 10 })
  const withReminder = draftOf(reminded, NEW_YORK)
  const none = { ...withReminder, reminderMinutes: null }
  assert.deepEqual(editRequests(reminded, withReminder, none, 'this'), [{ op: 'occurrence', eventId: '100@R', occurrence: '20261123T100000', rev: 1, change: { reminderMinutes: null } }])
  assert.deepEqual(editRequests(reminded, withReminder, none, 'all'), [{ op: 'series', eventId: '100@R', changes: { reminderMinutes: null } }])
})

test('dragging: the event keeps its length and zone; an event booked with alternatives is moved', () => {
  const o = standup()
  const viewerNoon = Date.parse('2026-11-23T17:00:00Z') // 12:00 in New York, 18:00 in Berlin
  assert.deepEqual(moveRequests(o, viewerNoon, 'this', NEW_YORK), [{ op: 'occurrence', eventId: '100@R', occurrence: '20261123T100000', rev: 1, change: { start: '2026-11-23T17:00:00.000Z', durationMinutes: 60 } }])
  assert.deepEqual(moveRequests(o, viewerNoon, 'all', NEW_YORK), [{ op: 'series', eventId: '100@R', changes: { start: '2026-11-02T18:00', durationMinutes: 60 } }])
  const booked = standup({ seriesId: '7@R', occurrenceId: '7@R', occurrence: '20261123T090000', rev: 0, recurring: false, rrule: null, seriesStart: null, zone: 'UTC' })
  assert.deepEqual(moveRequests(booked, viewerNoon, 'all', NEW_YORK), [{ op: 'move', eventId: '7@R', start: '2026-11-23T17:00:00.000Z', durationMinutes: 60 }])
  const oneOff = standup({ recurring: false, rrule: null, seriesStart: '20261123T100000' })
  assert.deepEqual(moveRequests(oneOff, viewerNoon, 'this', NEW_YORK), [{ op: 'series', eventId: '100@R', changes: { start: '2026-11-23T18:00', durationMinutes: 60 } }])
  assert.equal(shiftWeekdays('FREQ=WEEKLY;BYDAY=SA,SU', 1), 'FREQ=WEEKLY;BYDAY=SU,MO')
})

test('cancelling: this event, this and following (ends the series, cancels the continuation), all', () => {
  const o = standup()
  assert.deepEqual(cancelRequest(o, 'this'), { request: { op: 'occurrence', eventId: '100@R', occurrence: '20261123T100000', rev: 1, cancel: true }, cancelMade: false })
  assert.deepEqual(cancelRequest(o, 'following'), { request: { op: 'following', eventId: '100@R', occurrence: '20261123T100000', rev: 1, changes: {} }, cancelMade: true })
  assert.deepEqual(cancelRequest(standup({ occurrence: '20261102T100000' }), 'following'), { request: { op: 'cancel', eventId: '100@R' }, cancelMade: false })
  assert.deepEqual(cancelRequest(o, 'all'), { request: { op: 'cancel', eventId: '100@R' }, cancelMade: false })
})

test('a reminder is due once, from its lead time until the event ends', () => {
  const o = standup({ reminderMinutes: 10 })
  const start = Date.parse(o.start)
  assert.deepEqual(dueReminders([o], start - 11 * 60_000, new Set()), [])
  assert.equal(nextReminder([o], start - 11 * 60_000, new Set()), start - 10 * 60_000)
  assert.deepEqual(dueReminders([o], start - 10 * 60_000, new Set()), [o])
  assert.deepEqual(dueReminders([o], start - 5 * 60_000, new Set([reminderKey(o)])), [])
  assert.equal(nextReminder([o], start - 11 * 60_000, new Set([reminderKey(o)])), null)
  assert.deepEqual(dueReminders([o], Date.parse(o.end), new Set()), []) // over
  assert.deepEqual(dueReminders([standup()], start, new Set()), []) // no reminder set
  // Moved, it reminds again.
  assert.notEqual(reminderKey(o), reminderKey({ ...o, start: '2026-11-23T10:00:00.000Z' }))
})

test('month, week and day views; prev/next; slots snapped', () => {
  const anchor = new Date(2026, 10, 25) // Wed 25 Nov 2026
  assert.deepEqual(viewDays('day', anchor).map(localDate), ['2026-11-25'])
  assert.deepEqual(viewDays('week', anchor).map(localDate), ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'])
  const month = viewDays('month', anchor).map(localDate)
  assert.equal(month.length, 42) // 1 Nov 2026 is a Sunday: six weeks from Mon 26 Oct
  assert.deepEqual([month[0], month.at(-1)], ['2026-10-26', '2026-12-06'])
  assert.equal(viewDays('month', new Date(2027, 1, 10)).length, 28) // Feb 2027: Mon 1 to Sun 28
  assert.equal(localDate(stepAnchor('month', new Date(2027, 0, 31), 1)), '2027-02-28')
  assert.equal(localDate(stepAnchor('week', anchor, -1)), '2026-11-18')
  assert.equal(localDate(stepAnchor('day', anchor, 1)), '2026-11-26')
  assert.equal(minutesAt(36 * 10.4, 36, 15), 10 * 60 + 30)
  assert.equal(minutesAt(36 * 30, 36, 15), 24 * 60 - 15)
  assert.equal(atMinutes(anchor, 630).getHours(), 10)
})
