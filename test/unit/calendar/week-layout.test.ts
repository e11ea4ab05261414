// The week grid's pure parts: overlapping events side by side; a changed outcome told in plain words.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sideBySide } from '../../../renderer/src/calendar/layout.ts'
import { outcomeNotice } from '../../../renderer/src/calendar/notices.ts'

test('overlapping events share their group\'s width, each in the first free column', () => {
  const events = [{ id: 'a', s: 10, e: 11 }, { id: 'b', s: 10.5, e: 12 }, { id: 'c', s: 11, e: 11.5 }, { id: 'd', s: 13, e: 14 }]
  const placed = sideBySide(events, x => x.s, x => x.e).map(p => `${p.item.id}:${p.column}/${p.columns}`)
  assert.deepEqual(placed, ['a:0/2', 'b:1/2', 'c:0/2', 'd:0/1'])
})

test('a changed outcome in plain words', () => {
  const moved = outcomeNotice({ title: 'Lunch', room: 'Room A' }, '1@R', 'booked 2026-11-23T10:00:00.000Z', 'booked 2026-11-23T11:00:00.000Z')
  assert.match(moved.text, /^Lunch moved to \d\d:\d\d because Room A was taken at \d\d:\d\d\.$/)
  assert.match(outcomeNotice(null, '1@R', 'booked 2026-11-23T10:00:00.000Z', 'conflict: no alternative free').text, /^An event lost its \d\d:\d\d slot/)
})
