// CalDAV's pure parts: what a client's PUT of a series writes (the narrowest series writes, and after
// them the stored event reads back as sent), and the sync tokens' change log.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseIcs, type IcsEvent } from '../../../p2p/calendar/ics/parse.ts'
import { toIcs } from '../../../p2p/calendar/ics/export.ts'
import type { CalendarEvent } from '../../../p2p/calendar/bayou/rows.ts'
import type { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import { putPlan } from '../../../p2p/calendar/caldav/put-plan.ts'
import { withoutNote } from '../../../p2p/calendar/caldav/collection.ts'
import { advance, changesSince, tokenOf, type ChangeLog } from '../../../p2p/calendar/caldav/sync-tokens.ts'
import { writeId } from '../../../p2p/calendar/bayou/order.ts'
import { createCalendar, reserve } from './harness.ts'

const NOW = Date.UTC(2026, 0, 1)
const UID = 'weekly@client'

function ics (...lines: string[]): IcsEvent {
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', `UID:${UID}`, 'DTSTART;TZID=Europe/Berlin:20320105T100000', 'DURATION:PT1H',
    'RRULE:FREQ=WEEKLY;COUNT=10', ...lines, 'END:VCALENDAR', ''].join('\r\n')
  const [event] = parseIcs(text).events
  return event as IcsEvent
}
const series = (...lines: string[]): IcsEvent => ics('SUMMARY:Weekly', ...lines, 'END:VEVENT')
const override = (id: string, start: string, summary: string): string[] =>
  ['BEGIN:VEVENT', `UID:${UID}`, `RECURRENCE-ID;TZID=Europe/Berlin:${id}`, `DTSTART;TZID=Europe/Berlin:${start}`, 'DURATION:PT1H', `SUMMARY:${summary}`, 'END:VEVENT']

const rowOf = (r: Replica, id: string): CalendarEvent => r.database.get<CalendarEvent>('events', id) as CalendarEvent
const storedOf = (row: CalendarEvent): IcsEvent => parseIcs(toIcs('x', [{ row, uid: UID, tentative: false }], NOW)).events[0] as IcsEvent

/** Applies what a PUT of `incoming` writes; the plan's op kinds, and the event the resource now is. */
function put (r: Replica, eventId: string | undefined, incoming: IcsEvent): { kinds: string[], id: string } {
  const existing = eventId === undefined ? undefined : { row: rowOf(r, eventId), stored: storedOf(rowOf(r, eventId)) }
  const ops = putPlan(incoming, existing)
  let id = eventId
  for (const op of ops) {
    const { write } = r.issue(op, NOW)
    if (op.kind === 'schedule' || op.kind === 'reserve') id = writeId(write)
  }
  // Whatever was written, the same PUT again writes nothing: the event reads back as sent.
  assert.deepEqual(putPlan(incoming, { row: rowOf(r, id as string), stored: storedOf(rowOf(r, id as string)) }), [])
  return { kinds: ops.map(op => op.kind), id: id as string }
}

test('a PUT of a series: schedule; an EXDATE or an override is "this occurrence"; text is "all events"', () => {
  const r = createCalendar()
  const { kinds, id } = put(r, undefined, series())
  assert.deepEqual(kinds, ['schedule'])
  assert.equal(rowOf(r, id).uid, UID)
  assert.deepEqual(put(r, id, series('EXDATE;TZID=Europe/Berlin:20320119T100000')).kinds, ['occurrence'])
  assert.deepEqual(put(r, id, series('EXDATE;TZID=Europe/Berlin:20320119T100000', 'END:VEVENT', ...override('20320112T100000', '20320112T110000', 'Moved').slice(0, -1))).kinds, ['occurrence'])
  const rec = rowOf(r, id).recurrence
  assert.equal(rec?.exdates.length, 1)
  assert.equal(Object.values(rec?.overrides ?? {})[0]?.title, 'Moved')
  // Retitled as a whole and one more occurrence cancelled: an "all events" write, then one about the occurrence.
  const both = ics('SUMMARY:Weekly sync', 'EXDATE;TZID=Europe/Berlin:20320119T100000,20320126T100000', 'END:VEVENT', ...override('20320112T100000', '20320112T110000', 'Moved'))
  assert.deepEqual(put(r, id, both).kinds, ['series', 'occurrence'])
  assert.equal(rowOf(r, id).title, 'Weekly sync')
  assert.equal(rowOf(r, id).recurrence?.exdates.length, 2)
})

test('a PUT without the VALARM the event had removes its reminder; an override sent without one removes that occurrence\'s', () => {
  const r = createCalendar()
  const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Weekly', 'TRIGGER:-PT15M', 'END:VALARM']
  const { id } = put(r, undefined, series(...alarm))
  assert.equal(rowOf(r, id).reminderMinutes, 15)
  assert.deepEqual(put(r, id, series()).kinds, ['series'])
  assert.equal('reminderMinutes' in rowOf(r, id), false)
  assert.deepEqual(put(r, id, series(...alarm)).kinds, ['series'])
  // Each RECURRENCE-ID event carries its own alarms: one sent without any has none.
  assert.deepEqual(put(r, id, ics('SUMMARY:Weekly', ...alarm, 'END:VEVENT', ...override('20320112T100000', '20320112T100000', 'Weekly'))).kinds, ['occurrence'])
  assert.deepEqual(Object.values(rowOf(r, id).recurrence?.overrides ?? {}), [{ reminderMinutes: null }])
  assert.equal(rowOf(r, id).reminderMinutes, 15)
})

test('a PUT that takes an exception back or changes the times is one "all events" write with the exceptions as sent', () => {
  const r = createCalendar()
  const { id } = put(r, undefined, series('EXDATE;TZID=Europe/Berlin:20320119T100000', 'END:VEVENT', ...override('20320112T100000', '20320112T110000', 'Moved').slice(0, -1)))
  assert.deepEqual(put(r, id, series()).kinds, ['series'])
  assert.deepEqual(rowOf(r, id).recurrence?.exdates, [])
  assert.deepEqual(rowOf(r, id).recurrence?.overrides, {})
  const later = parseIcs(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', `UID:${UID}`, 'DTSTART;TZID=Europe/Berlin:20320105T140000', 'DURATION:PT90M',
    'RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10', 'SUMMARY:Weekly', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n')).events[0] as IcsEvent
  assert.deepEqual(put(r, id, later).kinds, ['series'])
  assert.equal(rowOf(r, id).end - rowOf(r, id).start, 90 * 60_000)
  // No longer recurring: still the same event, its rule gone.
  const once = parseIcs(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', `UID:${UID}`, 'DTSTART;TZID=Europe/Berlin:20320105T140000', 'DURATION:PT90M', 'SUMMARY:Weekly', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n')).events[0] as IcsEvent
  assert.deepEqual(put(r, id, once).kinds, ['series'])
  assert.equal(rowOf(r, id).recurrence?.rule, undefined)
})

test('a one-off booked by reserve, made recurring by the client: cancelled and scheduled as a series', () => {
  const r = createCalendar()
  const eventId = writeId(reserve(r, 'Weekly', [9], NOW).write)
  const { kinds, id } = put(r, eventId, series())
  assert.deepEqual(kinds, ['cancel', 'schedule'])
  assert.notEqual(id, eventId)
  assert.equal(r.database.get('events', eventId), undefined)
  assert.ok(rowOf(r, id).recurrence?.rule !== undefined)
})

const etags = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries))
const empty = (): ChangeLog => ({ epoch: 'a1b2c3d4e5f6', rev: 0, floor: 0, entries: new Map() })

test('sync tokens: changes and removals since a token; an unknown, future or too old token is refused', () => {
  let log = advance(empty(), etags({ 'a.ics': '"1"', 'b.ics': '"1"', 'c.ics': '"1"' })).next
  const first = tokenOf(log)
  assert.deepEqual(changesSince(log, first), { changed: [], gone: [] })
  assert.equal(advance(log, etags({ 'a.ics': '"1"', 'b.ics': '"1"', 'c.ics': '"1"' })).next, log) // nothing changed: same revision
  log = advance(log, etags({ 'a.ics': '"2"', 'c.ics': '"1"', 'd.ics': '"1"' })).next
  assert.deepEqual(changesSince(log, first), { changed: ['a.ics', 'd.ics'], gone: ['b.ics'] })
  assert.deepEqual(changesSince(log, tokenOf(log)), { changed: [], gone: [] })
  assert.equal(changesSince(log, first.replace('a1b2c3d4e5f6', 'ffffffffffff')), undefined)
  assert.equal(changesSince(log, `${first.slice(0, -1)}9`), undefined)
  assert.equal(changesSince(log, 'nonsense'), undefined)
  // Past the tombstones kept, the oldest go, and a token from before them is too old.
  const afterB = tokenOf(log)
  const { next, dropped } = advance(log, etags({ 'a.ics': '"2"', 'd.ics': '"1"' }), 1)
  assert.deepEqual(dropped, ['b.ics'])
  assert.equal(changesSince(next, first), undefined)
  assert.deepEqual(changesSince(next, afterB), { changed: [], gone: ['c.ics'] })
})

test('the commit note added to DESCRIPTION is taken out of what a client sends back', () => {
  const note = 'Tidepool: after syncing, "booked" became "conflict".'
  assert.equal(withoutNote(`Agenda\n\n${note}`, note), 'Agenda')
  assert.equal(withoutNote(note, note), undefined)
  assert.equal(withoutNote('Agenda, edited', note), 'Agenda, edited')
  assert.equal(withoutNote('Agenda', undefined), 'Agenda')
})
