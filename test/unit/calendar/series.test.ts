// Series as Bayou writes: concurrent offline changes to "this occurrence", "this and following" and
// "all events" converge and keep both intentions in every sync order; room conflicts occurrence by
// occurrence; exceptions follow the series.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import type { CalendarEvent } from '../../../p2p/calendar/bayou/rows.ts'
import { rowOccurrences } from '../../../p2p/calendar/bayou/occurrences.ts'
import { formatLocal, parseLocal } from '../../../p2p/calendar/recurrence/civil.ts'
import { parseRule } from '../../../p2p/calendar/recurrence/rule.ts'
import { toInstant, toLocal } from '../../../p2p/calendar/recurrence/zone.ts'
import { createCalendar, join, sharedState, sync, syncBoth } from './harness.ts'

const BERLIN = 'Europe/Berlin'
const local = (text: string): number => parseLocal(text) as number
const weekly = parseRule('FREQ=WEEKLY;BYDAY=MO', { fromUtc: u => u, fromLocal: l => l })
const FROM = Date.UTC(2026, 10, 1)
const TO = Date.UTC(2027, 0, 1)

/** Every occurrence in Nov–Dec 2026 as "date Berlin-time title[ conflict]". */
function agenda (r: Replica): string[] {
  return r.database.rows<CalendarEvent>('events').flatMap(([, e]) => rowOccurrences(e, FROM, TO).occurrences.map(o =>
    `${formatLocal(toLocal(BERLIN, o.start)).slice(0, 13)} ${o.title}${o.conflict ? ' conflict' : ''}`)).sort()
}

function standup (r: Replica, now: number): string {
  const { write } = r.issue({ kind: 'schedule', title: 'Standup', room: 'main', start: local('20261102T100000'), zone: BERLIN, durationMinutes: 30, rule: weekly }, now)
  return `${write.stamp}@${write.replica}`
}

const DIRECTED = [['a', 'b'], ['b', 'a'], ['a', 'c'], ['c', 'a'], ['b', 'c'], ['c', 'b']] as const
function permutations<T> (items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map(rest => [item, ...rest]))
}

test('a weekly series is one write; its occurrences stay 10:00 Berlin across the DST change', () => {
  const a = createCalendar(1)
  const id = standup(a, 2)
  assert.equal(a.log().length, 2)
  const row = a.database.get<CalendarEvent>('events', id) as CalendarEvent
  const times = rowOccurrences(row, Date.UTC(2027, 2, 15), Date.UTC(2027, 3, 15)).occurrences.map(o => new Date(o.start).toISOString().slice(5, 16))
  assert.deepEqual(times, ['03-15T09:00', '03-22T09:00', '03-29T08:00', '04-05T08:00', '04-12T08:00'])
})

test('A moves the whole series an hour later while B cancels one occurrence and C changes this-and-following: all hold, in every sync order', () => {
  for (const bFirst of [true, false]) {
    for (const order of permutations(DIRECTED)) {
      const a = createCalendar(1)
      const b = join(a, 2)
      const c = join(a, 3)
      const id = standup(a, 4)
      syncBoth(a, b); syncBoth(a, c); syncBoth(b, c)
      // Offline, concurrently; B's write is stamped before A's in one run, after it in the other.
      a.issue({ kind: 'series', eventId: id, changes: { start: local('20261102T110000') } }, 20)
      b.issue({ kind: 'occurrence', eventId: id, occurrence: local('20261116T100000'), rev: 0, cancel: true }, bFirst ? 10 : 30)
      c.issue({ kind: 'following', eventId: id, occurrence: local('20261207T100000'), rev: 0, changes: { title: 'Standup (new room)', room: 'lab' } }, 25)
      const replicas = { a, b, c }
      for (let round = 0; round < 2; round++) for (const [from, to] of order) sync(replicas[from], replicas[to])
      const expected = [
        '20261102T1100 Standup', '20261109T1100 Standup', /* 16th cancelled */ '20261123T1100 Standup', '20261130T1100 Standup',
        '20261207T1100 Standup (new room)', '20261214T1100 Standup (new room)', '20261221T1100 Standup (new room)', '20261228T1100 Standup (new room)'
      ]
      for (const r of [a, b, c]) assert.deepEqual(agenda(r), expected, `${bFirst ? 'B first' : 'B last'}, order ${order.join(' ')}`)
      assert.equal(sharedState(a), sharedState(b))
      assert.equal(sharedState(b), sharedState(c))
    }
  }
})

test('a cancel of an occurrence after the split point reaches the continuation; a change of the rule drops what no longer applies', () => {
  const a = createCalendar(1)
  const b = join(a, 2)
  const id = standup(a, 3)
  syncBoth(a, b)
  a.issue({ kind: 'following', eventId: id, occurrence: local('20261207T100000'), rev: 0, changes: { start: local('20261207T090000') } }, 10)
  b.issue({ kind: 'occurrence', eventId: id, occurrence: local('20261214T100000'), rev: 0, change: { title: 'Standup with guests' } }, 11)
  b.issue({ kind: 'occurrence', eventId: id, occurrence: local('20261221T100000'), rev: 0, cancel: true }, 12)
  syncBoth(a, b)
  sync(a, b) // the commits of B's writes
  assert.deepEqual(agenda(a).filter(line => line >= '20261207'), ['20261207T0900 Standup', '20261214T0900 Standup with guests', '20261228T0900 Standup'])
  assert.equal(sharedState(a), sharedState(b))
  // A series moved a day later takes its cancelled Monday along to the Tuesday; one whose rule no
  // longer has the day drops the exception (nothing is left for it to cancel).
  const exdates = (): number[] | undefined => (a.database.get<CalendarEvent>('events', id) as CalendarEvent).recurrence?.exdates
  a.issue({ kind: 'occurrence', eventId: id, occurrence: local('20261109T100000'), rev: 0, cancel: true }, 20)
  a.issue({ kind: 'series', eventId: id, changes: { start: local('20261103T100000'), rule: parseRule('FREQ=WEEKLY;BYDAY=TU', { fromUtc: u => u, fromLocal: l => l }) } }, 21)
  assert.deepEqual(exdates(), [local('20261110T100000')])
  a.issue({ kind: 'series', eventId: id, changes: { rule: parseRule('FREQ=WEEKLY;BYDAY=WE', { fromUtc: u => u, fromLocal: l => l }) } }, 22)
  assert.deepEqual(exdates(), [])
})

test('room conflicts are checked occurrence by occurrence: a collision is kept and shown, not dropped', () => {
  const a = createCalendar(1)
  a.issue({ kind: 'reserve', title: 'Interview', durationMinutes: 60, alternatives: [toInstant(BERLIN, local('20261116T093000'))], room: 'main' }, 2)
  const id = standup(a, 3)
  assert.deepEqual(agenda(a).filter(l => l >= '20261109' && l < '20261117'), ['20261109T1000 Standup', '20261116T0930 Interview', '20261116T1000 Standup conflict'])
  assert.equal(a.log().at(-1)?.outcome.detail, 'scheduled; an occurrence collides with another booking')
  // A booking made after the series sees its occurrences as taken.
  a.issue({ kind: 'reserve', title: 'Review', durationMinutes: 60, alternatives: [toInstant(BERLIN, local('20261123T100000')), toInstant(BERLIN, local('20261123T110000'))], room: 'main' }, 4)
  assert.ok(agenda(a).includes('20261123T1100 Review'))
  // Moving the series an hour later frees the 16th (and finds Review at 11:00 on the 23rd).
  a.issue({ kind: 'series', eventId: id, changes: { start: local('20261102T110000') } }, 5)
  assert.ok(agenda(a).includes('20261116T1100 Standup'))
  assert.ok(agenda(a).includes('20261123T1100 Standup conflict'))
})

test('all-day and multi-day events with their fields; they take no room', () => {
  const a = createCalendar(1)
  a.issue({ kind: 'schedule', title: 'Offsite', room: 'main', start: local('20261124'), zone: null, durationMinutes: 3 * 24 * 60, description: 'Bring boots', attendees: 'Ana, Bo', reminderMinutes: 1440 }, 2)
  a.issue({ kind: 'reserve', title: 'Call', durationMinutes: 60, alternatives: [Date.UTC(2026, 10, 25, 9)], room: 'main' }, 3)
  const rows = a.database.rows<CalendarEvent>('events').map(([, e]) => e)
  const offsite = rows.find(e => e.title === 'Offsite') as CalendarEvent
  assert.deepEqual([offsite.description, offsite.attendees, offsite.reminderMinutes], ['Bring boots', 'Ana, Bo', 1440])
  assert.equal(new Date(offsite.end).toISOString(), '2026-11-27T00:00:00.000Z')
  assert.equal(rows.find(e => e.title === 'Call')?.state, 'booked')
})
