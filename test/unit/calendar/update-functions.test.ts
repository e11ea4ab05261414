// Each update function's dependency check and merge procedure, on a single replica.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { at, createCalendar, reserve, schedule } from './harness.ts'
import type { CalendarEvent } from '../../../p2p/calendar/bayou/rows.ts'

test('reserve takes the first free alternative; with none free it is kept as a conflict, never dropped', () => {
  const r = createCalendar(1)
  assert.equal(reserve(r, 'one', [10, 11], 10).outcome.detail, 'booked 2026-11-23T10:00:00.000Z')
  assert.equal(reserve(r, 'two', [10, 11], 11).outcome.detail, 'booked 2026-11-23T11:00:00.000Z')
  const third = reserve(r, 'three', [10, 11], 12)
  assert.deepEqual(third.outcome, { ok: false, detail: 'conflict: no alternative free' })
  assert.deepEqual(schedule(r), { one: 10, two: 11, three: 'conflict' })
  const conflict = r.database.get<CalendarEvent>('events', `${third.write.stamp}@R`)
  assert.deepEqual(conflict?.alternatives, [at(10), at(11)], 'what was asked for is kept')
  // Another room is another calendar column.
  assert.equal(r.issue({ kind: 'reserve', title: 'elsewhere', durationMinutes: 60, alternatives: [at(10)], room: 'b' }, 13).outcome.ok, true)
  // Overlap, not just equal starts, counts as taken; back-to-back is fine.
  assert.equal(r.issue({ kind: 'reserve', title: 'overlap', durationMinutes: 30, alternatives: [at(11.5)], room: 'main' }, 14).outcome.ok, false)
  assert.equal(r.issue({ kind: 'reserve', title: 'after', durationMinutes: 30, alternatives: [at(12)], room: 'main' }, 15).outcome.ok, true)
})

test('cancel, move and edit check before they change anything', () => {
  const r = createCalendar(1)
  const a = `${reserve(r, 'a', [10], 10).write.stamp}@R`
  const b = `${reserve(r, 'b', [11], 11).write.stamp}@R`
  const cases: Array<[Parameters<typeof r.issue>[0], boolean, string]> = [
    [{ kind: 'move', eventId: a, start: at(11) }, false, 'slot taken'],
    [{ kind: 'move', eventId: a, start: at(10.5) }, false, 'slot taken'],
    [{ kind: 'move', eventId: a, start: at(9) }, true, 'moved to 2026-11-23T09:00:00.000Z'],
    [{ kind: 'move', eventId: a, start: at(9.5) }, true, 'moved to 2026-11-23T09:30:00.000Z'], // overlaps only itself
    [{ kind: 'edit', eventId: b, title: 'B!' }, true, 'edited'],
    [{ kind: 'edit', eventId: 'nope', title: 'x' }, false, 'no such event'],
    [{ kind: 'cancel', eventId: a }, true, 'cancelled'],
    [{ kind: 'cancel', eventId: a }, false, 'no such event'],
    [{ kind: 'move', eventId: b, start: at(9), durationMinutes: 120 }, true, 'moved to 2026-11-23T09:00:00.000Z']
  ]
  let now = 20
  for (const [op, ok, detail] of cases) assert.deepEqual(r.issue(op, now++).outcome, { ok, detail }, JSON.stringify(op))
  assert.deepEqual(schedule(r), { 'B!': 9 })
  assert.equal(r.issue({ kind: 'reserve', title: 'c', durationMinutes: 60, alternatives: [at(9)], room: 'b' }, now++).outcome.ok, true)
  assert.deepEqual(r.issue({ kind: 'edit', eventId: b, room: 'b' }, now++).outcome, { ok: false, detail: 'room b taken' })
})
