// .ics import as calendar apps write it, and export → import giving back the same series.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { parseIcs, type IcsEvent } from '../../../p2p/calendar/ics/parse.ts'
import { importPlanner } from '../../../p2p/calendar/ics/plan.ts'
import { toIcs } from '../../../p2p/calendar/ics/export.ts'
import { parseIcsInWorker } from '../../../p2p/calendar/ics/in-worker.ts'
import type { CalendarEvent } from '../../../p2p/calendar/bayou/rows.ts'
import { rowOccurrences } from '../../../p2p/calendar/bayou/occurrences.ts'
import { CalendarError } from '../../../p2p/calendar/errors.ts'
import { formatLocal } from '../../../p2p/calendar/recurrence/civil.ts'
import { toLocal } from '../../../p2p/calendar/recurrence/zone.ts'
import type { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import { createCalendar } from './harness.ts'

const CORPUS = fileURLToPath(new URL('../../data/ics/', import.meta.url))
const SHARED = '/work/shared/data/ics/'
const corpus = readdirSync(CORPUS).filter(f => f.endsWith('.ics'))
const read = (dir: string, name: string): string => readFileSync(dir + name, 'utf8')

function importInto (r: Replica, text: string, now: number): void {
  const rows = r.database.rows<CalendarEvent>('events').map(([, e]) => e)
  for (const op of parseIcs(text).events.map(importPlanner(rows))) r.issue(op, now)
}

function exportOf (r: Replica): string {
  return toIcs('x', r.database.rows<CalendarEvent>('events').map(([, row]) => ({ row, uid: row.uid ?? row.id, tentative: false })), Date.UTC(2026, 0, 1))
}

/** Every occurrence in 2024–2028, as "local start in its zone | title | room | minutes". */
function agenda (r: Replica): string[] {
  return r.database.rows<CalendarEvent>('events').flatMap(([, e]) => rowOccurrences(e, Date.UTC(2024, 0), Date.UTC(2029, 0)).occurrences.map(o => {
    const zone = e.recurrence?.zone
    const at = zone == null ? formatLocal(o.start, true) : `${formatLocal(toLocal(zone, o.start))} ${zone}`
    return `${at} | ${o.title} | ${o.room} | ${(o.end - o.start) / 60_000}`
  })).sort()
}

test('each sample imports; export → import gives the same occurrences, UIDs and series', () => {
  for (const file of [...corpus.map(f => [CORPUS, f]), ...['minimal.ics', 'rdate_exdate.ics', 'google_birthday.ics'].map(f => [SHARED, f])] as Array<[string, string]>) {
    const first = createCalendar(1)
    importInto(first, read(...file), 2)
    const second = createCalendar(1)
    const exported = exportOf(first)
    importInto(second, exported, 2)
    assert.deepEqual(agenda(second), agenda(first), file[1])
    const series = (r: Replica): string[] => r.database.rows<CalendarEvent>('events').map(([, e]) => `${e.uid ?? ''} ${e.recurrence?.rule?.freq ?? 'once'}`).sort()
    assert.deepEqual(series(second), series(first), file[1])
    // Importing the same file again updates what it imported: nothing is added.
    importInto(first, read(...file), 3)
    importInto(second, exported, 3)
    assert.equal(first.database.rows('events').length, second.database.rows('events').length, file[1])
    assert.deepEqual(agenda(second), agenda(first), `${file[1]} re-imported`)
  }
})

test('Google: series with EXDATE and a RECURRENCE-ID override, all-day range, reminder, escapes', () => {
  const { events, warnings } = parseIcs(read(CORPUS, 'google.ics'))
  assert.deepEqual(warnings, [])
  const standup = events.find(e => e.title === 'Standup') as IcsEvent
  assert.equal(standup.zone, 'Europe/Berlin')
  assert.equal(standup.reminderMinutes, 10)
  assert.match(standup.description ?? '', /done, what is next, what blocks\.$/)
  const r = createCalendar(1)
  importInto(r, read(CORPUS, 'google.ics'), 2)
  const lines = agenda(r).filter(l => l.startsWith('202611') || l.startsWith('202612'))
  assert.deepEqual(lines, [
    '20261102T100000 Europe/Berlin | Standup | Room A | 30', '20261109T100000 Europe/Berlin | Standup | Room A | 30',
    '20261116T110000 Europe/Berlin | Standup (late) | Room A | 30', '20261123T100000 Europe/Berlin | Standup | Room A | 30',
    '20261130T100000 Europe/Berlin | Standup | Room A | 30', '20261207T100000 Europe/Berlin | Standup | Room A | 30',
    '20261214T100000 Europe/Berlin | Standup | Room A | 30', '20261221T100000 Europe/Berlin | Standup | Room A | 30',
    '20261224 | Holidays | main | 4320'
  ])
})

test('iCloud (BOM, LF): a cancelled occurrence, a COUNT series, a yearly all-day event', () => {
  const r = createCalendar(1)
  importInto(r, read(CORPUS, 'icloud.ics'), 2)
  const club = agenda(r).filter(l => l.includes('Book club'))
  assert.equal(club.length, 11) // 12 second Tuesdays, November's cancelled
  assert.ok(!club.some(l => l.startsWith('20261110')))
  assert.ok(club.every(l => l.includes('T190000 America/New_York')))
  assert.deepEqual(agenda(r).filter(l => l.includes('birthday')).map(l => l.slice(0, 8)), ['20260315', '20270315', '20280315'])
})

test('Outlook: Windows zone names, a zone known only by its VTIMEZONE, attendees, last-Friday rule', () => {
  const { events, warnings } = parseIcs(read(CORPUS, 'outlook.ics'))
  const review = events.find(e => e.title === 'Roadmap review') as IcsEvent
  assert.equal(review.zone, 'Europe/Berlin')
  assert.equal(review.attendees, 'Ana Li <ana@example.org>, Bo, Jr. <bo@example.org>')
  assert.equal(review.reminderMinutes, 15)
  assert.equal(review.uid, '040000008200E00074C5B7101A82E00800000000D0F1E2A3B4C5D6010000000000000000100000009A8B7C6D5E4F30214365879ABCDEF012')
  const toronto = events.find(e => e.title === 'Call with the Toronto office') as IcsEvent
  assert.equal(toronto.zone, 'UTC')
  assert.equal(formatLocal(toronto.start), '20261105T140000') // 09:00 at UTC-5 (November 5 is after the first Sunday)
  assert.match(warnings.join('\n'), /"Customized Time Zone".*converted with the file's VTIMEZONE/)
  const r = createCalendar(1)
  importInto(r, read(CORPUS, 'outlook.ics'), 2)
  assert.deepEqual(agenda(r).filter(l => l.includes('Roadmap')).map(l => l.slice(0, 8)), ['20260925', '20270326', '20270625', '20270924', '20271231'].filter(d => d !== '20261225'))
})

test('Thunderbird: RDATE added to a COUNT series, /mozilla.org/ zone ids, DURATION', () => {
  const r = createCalendar(1)
  importInto(r, read(CORPUS, 'thunderbird.ics'), 2)
  const piano = agenda(r).filter(l => l.includes('Piano'))
  assert.equal(piano.length, 11)
  assert.ok(piano.includes('20261103T170000 Europe/Paris | Piano lesson | Music school | 45'))
  assert.ok(agenda(r).includes('20261112T083000 Europe/Paris | Dentist | main | 45'))
})

test('Zimbra: empty VTIMEZONEs, RDATE;VALUE=PERIOD, a February-30 rule with no March dates', () => {
  const { warnings } = parseIcs(read(CORPUS, 'zimbra.ics'))
  assert.match(warnings.join('\n'), /"Nowhere\/Special" is unknown.*read as UTC/)
  const r = createCalendar(1)
  importInto(r, read(CORPUS, 'zimbra.ics'), 2)
  assert.deepEqual(agenda(r).filter(l => l.includes('Training')).map(l => l.slice(0, 15)), ['20261005T090000', '20261006T090000', '20261007T090000', '20261012T090000', '20261019T090000'])
  assert.deepEqual(agenda(r).filter(l => l.includes('Leap')).map(l => l.slice(0, 8)), ['20240229'])
  assert.ok(agenda(r).includes('20261006T140000 UTC | Somewhere else | main | 60'))
})

test('a broken file is refused saying what and where', () => {
  const cases: Array<[string, RegExp]> = [
    ['BEGIN:VCALENDAR\r\nVERSION:2.0\r\nthis is not a line\r\nEND:VCALENDAR', /^line 3: not a NAME:VALUE line/],
    ['BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nEND:VCALENDAR', /^line 4: END:VCALENDAR does not close BEGIN:VEVENT of line 2/],
    ['BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nSUMMARY:no start\nEND:VEVENT\nEND:VCALENDAR', /event "x" \(line 2\): no DTSTART/],
    ['BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260230T100000Z\nEND:VEVENT\nEND:VCALENDAR', /DTSTART "20260230T100000Z" is not a date/],
    ['BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260201T100000Z\nRRULE:FREQ=SOMETIMES\nEND:VEVENT\nEND:VCALENDAR', /RRULE \(line 5\): FREQ=SOMETIMES is not supported/],
    ['BEGIN:VCARD\nEND:VCARD', /no BEGIN:VCALENDAR/]
  ]
  for (const [text, message] of cases) assert.throws(() => parseIcs(text), (err: Error) => err instanceof CalendarError && err.code === 'bad-ics' && message.test(err.message), text)
})

test('a 10 MiB file is read in a worker: the event loop stays mostly idle meanwhile', async () => {
  const event = (i: number): string => ['BEGIN:VEVENT', `UID:bulk-${i}`, `DTSTART;TZID=Europe/Berlin:2026${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}T090000`, 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=10', `SUMMARY:Event ${i}`, `DESCRIPTION:${'x'.repeat(1900)}`, 'END:VEVENT'].join('\r\n')
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...Array.from({ length: 4900 }, (_, i) => event(i)), 'END:VCALENDAR'].join('\r\n')
  const bytes = new TextEncoder().encode(text)
  assert.ok(bytes.length > 9 * 1024 * 1024)
  // The main thread's own busy time (event-loop utilization), not wall-clock pauses, which on a
  // shared machine also count the time the OS gave the CPU to someone else.
  const before = performance.eventLoopUtilization()
  const parsed = await parseIcsInWorker(bytes)
  const busy = performance.eventLoopUtilization(before)
  assert.equal(parsed.events.length, 4900)
  const started = performance.now()
  parseIcs(text)
  const inPlace = performance.now() - started
  assert.ok(busy.utilization < 0.3 && busy.active < inPlace, `main thread busy ${busy.active.toFixed(0)} ms (${(busy.utilization * 100).toFixed(0)}%); parsing in place takes ${inPlace.toFixed(0)} ms`)
  await assert.rejects(parseIcsInWorker(new TextEncoder().encode('BEGIN:VCALENDAR\nbroken\nEND:VCALENDAR')), (err: Error) => err instanceof CalendarError && /line 2/.test(err.message))
  await assert.rejects(parseIcsInWorker(Uint8Array.of(0x42, 0xff, 0x0a)), (err: Error) => err instanceof CalendarError && /not UTF-8/.test(err.message))
})
