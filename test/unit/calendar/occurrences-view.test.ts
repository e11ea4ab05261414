// The occurrences query's view: each occurrence carries its series' rule and DTSTART (wall clock), which
// the UI's editor shows and moves "all events" by.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { occurrencesView } from '../../../p2p/calendar/series-api.ts'
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
