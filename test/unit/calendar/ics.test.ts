// .ics import keeps every event at its exact instant; export re-imports to the same events.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parseIcs, toIcs, type IcsEvent } from '../../../p2p/calendar/ics.ts'
import { CalendarError } from '../../../p2p/calendar/errors.ts'

const DATA = '/work/shared/data/ics'
const read = (name: string): string => readFileSync(`${DATA}/${name}`, 'utf8')
const iso = (events: IcsEvent[]): string[] => events.map(e => `${new Date(e.start).toISOString()} ${new Date(e.end).toISOString()} ${e.title}`).sort()

const EXPECTED: Record<string, string[]> = {
  // TZID=America/Los_Angeles in June is UTC-7.
  'minimal.ics': ['2012-06-30T13:00:00.000Z 2012-06-30T14:00:00.000Z Really long event name thing'],
  // Daily ×4 from the 9th, the 11th excluded; no DTEND: zero length; no SUMMARY.
  'rdate_exdate.ics': [
    '2024-06-09T03:00:00.000Z 2024-06-09T03:00:00.000Z (untitled)',
    '2024-06-10T03:00:00.000Z 2024-06-10T03:00:00.000Z (untitled)',
    '2024-06-12T03:00:00.000Z 2024-06-12T03:00:00.000Z (untitled)'
  ],
  // A series (RRULE COUNT=1 plus two RDATEs) and three overrides of another UID whose series is absent.
  'google_birthday.ics': ['2012', '2012', '2013', '2013', '2014', '2014'].map(y => `${y}-12-10T00:00:00.000Z ${y}-12-11T00:00:00.000Z PErson #2's birthday`)
}

test('import keeps every event and its time exactly', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) assert.deepEqual(iso(parseIcs(read(file))), expected, file)
})

test('export re-imports to the same events', () => {
  for (const file of Object.keys(EXPECTED)) {
    const events = parseIcs(read(file))
    const exported = toIcs('x', events.map((e, i) => ({ ...e, uid: `${i}@test`, tentative: i % 2 === 0 })), Date.UTC(2026, 0, 1))
    assert.deepEqual(iso(parseIcs(exported)), iso(events), file)
  }
})

test('floating times and all-day dates read as UTC; LOCATION is kept', () => {
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:a', 'DTSTART:20240101T090000', 'DTEND:20240101T093000', 'SUMMARY:float', 'LOCATION:Lab', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n')
  assert.deepEqual(parseIcs(text), [{ title: 'float', start: Date.UTC(2024, 0, 1, 9), end: Date.UTC(2024, 0, 1, 9, 30), location: 'Lab' }])
})

test('garbage is refused as bad-ics', () => {
  for (const text of ['', 'hello', 'BEGIN:VCARD\r\nEND:VCARD', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR', 'x'.repeat(1024 * 1024 + 1)]) {
    assert.throws(() => parseIcs(text), (err: unknown) => err instanceof CalendarError && err.code === 'bad-ics', JSON.stringify(text.slice(0, 40)))
  }
})
