// The occurrences query's view: each occurrence carries its series' rule and DTSTART (wall clock), which
// the UI's editor shows and moves "all events" by, and its own reminder.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { occurrencesView, seriesOp } from '../../../p2p/calendar/series-api.ts'
import type { SeriesWriteRequest } from '../../../p2p/calendar/api.ts'
import type { CalendarEvent } from '../../../p2p/calendar/bayou/rows.ts'
import { toIcs } from '../../../p2p/calendar/ics/export.ts'
import { parseIcs } from '../../../p2p/calendar/ics/parse.ts'
import { parseLocal } from '../../../p2p/calendar/recurrence/civil.ts'
import { parseRule } from '../../../p2p/calendar/recurrence/rule.ts'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { eventViews } from '../../../p2p/calendar/view.ts'
import { createCalendar, reserve, at } from './harness.ts'

const TIME_MODULE = fileURLToPath(new URL('../../../renderer/src/calendar/time.ts', import.meta.url))

test('occurrences name their series\' rule and start; a one-off has none, a reserved event no start', () => {
  const r = createCalendar(1)
  const rule = parseRule('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4', { fromUtc: u => u, fromLocal: l => l })
  r.issue({ kind: 'schedule', title: 'Standup', room: 'main', start: parseLocal('20261123T090000') as number, zone: 'Europe/Berlin', durationMinutes: 30, rule }, 2)
  r.issue({ kind: 'schedule', title: 'Offsite', room: 'main', start: parseLocal('20261125') as number, zone: null, durationMinutes: 1440 }, 3)
  reserve(r, 'Hiring', [14], 4)
  const { occurrences } = occurrencesView(r, Date.UTC(2026, 10, 23), Date.UTC(2026, 11, 7))
  const seen = occurrences.map(o => `${o.title} ${o.occurrence} ${o.rrule ?? '-'} ${o.seriesStart ?? '-'}`)
  assert.deepEqual(seen, [
    'Standup 20261123T090000 FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE 20261123T090000',
    'Hiring 20261123T140000 - -',
    'Offsite 20261125 - 20261125',
    'Standup 20261125T090000 FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE 20261123T090000',
    'Standup 20261130T090000 FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE 20261123T090000',
    'Standup 20261202T090000 FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE 20261123T090000'
  ])
  assert.equal(at(14), Date.parse(occurrences[1]?.start ?? ''))
})

test('the agenda\'s events say which are all-day and which repeat, and an all-day event\'s dates read the same in every zone', () => {
  const r = createCalendar(1)
  const rule = parseRule('FREQ=WEEKLY;COUNT=4', { fromUtc: u => u, fromLocal: l => l })
  r.issue({ kind: 'schedule', title: 'Standup', room: 'main', start: parseLocal('20261123T090000') as number, zone: 'Europe/Berlin', durationMinutes: 30, rule }, 2)
  r.issue({ kind: 'schedule', title: 'Offsite', room: 'main', start: parseLocal('20261125') as number, zone: null, durationMinutes: 2 * 1440 }, 3)
  reserve(r, 'Hiring', [14], 4)
  const kinds = eventViews(r).map(e => `${e.title} allDay=${e.allDay} recurring=${e.recurring}`)
  assert.deepEqual(kinds.sort(), ['Hiring allDay=false recurring=false', 'Offsite allDay=true recurring=false', 'Standup allDay=false recurring=true'])
  const offsite = eventViews(r).find(e => e.title === 'Offsite')!
  // Two days, the 25th and 26th, whatever the viewer's zone (formatted in UTC, where the dates are midnights).
  for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
    const text = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(TIME_MODULE)}).then(m => process.stdout.write(m.formatAllDay(${JSON.stringify(offsite.start)}, ${JSON.stringify(offsite.end)})))`], { env: { ...process.env, TZ: zone, LANG: 'en_US.UTF-8' }, encoding: 'utf8' }).stdout
    assert.match(text, /^Wed, Nov 25 – Thu, Nov 26, all day$/, `${zone}: ${text}`)
  }
})

test('a reminder is removed from all events or from one occurrence, and an .ics round trip keeps both', () => {
  const r = createCalendar(1)
  const created = r.issue(seriesOp({ op: 'schedule', title: 'Standup', start: '2026-11-23T09:00', zone: 'Europe/Berlin', durationMinutes: 30, rrule: 'FREQ=WEEKLY;COUNT=4', reminderMinutes: 10 }, () => null), 2)
  const eventId = `${created.write.stamp}@${created.write.replica}`
  const reminders = (): Array<number | null> => occurrencesView(r, Date.UTC(2026, 10, 23), Date.UTC(2026, 11, 21)).occurrences.map(o => o.reminderMinutes)
  const write = (body: SeriesWriteRequest, now: number): void => { assert.equal(r.issue(seriesOp(body, () => 'Europe/Berlin'), now).outcome.ok, true) }
  write({ op: 'occurrence', eventId, occurrence: '20261130T090000', rev: 0, change: { reminderMinutes: null } }, 3)
  write({ op: 'occurrence', eventId, occurrence: '20261207T090000', rev: 0, change: { reminderMinutes: 30 } }, 4)
  assert.deepEqual(reminders(), [10, null, 30, 10])
  write({ op: 'series', eventId, changes: { reminderMinutes: null } }, 5)
  assert.deepEqual(reminders(), [null, null, 30, null])
  const row = r.database.rows<CalendarEvent>('events')[0]![1]
  assert.equal('reminderMinutes' in row, false, 'no reminder left in the row, not a null')
  write({ op: 'series', eventId, changes: { reminderMinutes: 5 } }, 6)
  assert.deepEqual(reminders(), [5, null, 30, 5])

  // Exported, the occurrence without a reminder has no VALARM; read back, the same overrides.
  const exported = toIcs('x', r.database.rows<CalendarEvent>('events').map(([, e]) => ({ row: e, uid: e.id, tentative: false })), Date.UTC(2026, 0, 1))
  assert.deepEqual(exported.split('BEGIN:VEVENT').slice(1).map(v => /TRIGGER:(.*)\r\n/.exec(v)?.[1] ?? 'none'), ['-PT5M', 'none', '-PT30M'])
  const [parsed] = parseIcs(exported).events
  assert.deepEqual(parsed?.overrides, r.database.rows<CalendarEvent>('events')[0]![1].recurrence?.overrides)
})
