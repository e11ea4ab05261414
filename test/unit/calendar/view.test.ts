// The API's view of a replica: a write whose outcome a commit changed is noted on its event.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import { replicaRecords, replicaState } from '../../../p2p/calendar/replica-records.ts'
import { eventViews } from '../../../p2p/calendar/view.ts'
import { createCalendar, join, reserve, signerOf, sync, syncBoth } from './harness.ts'

const changes = (r: Replica): Record<string, unknown> => Object.fromEntries(eventViews(r).map(e => [e.title, e.changed]))

test('an event a commit moved, or made a conflict, says what it was before; the others say nothing', () => {
  const a = createCalendar(1)
  const b = join(a, 2)
  syncBoth(a, b)
  reserve(a, 'staff', [10, 11], 10) // the primary's: committed at once
  reserve(a, 'review', [14], 11)
  reserve(b, 'hiring', [10, 11], 20)
  reserve(b, 'one-on-one', [14], 21)
  reserve(b, 'lunch', [12], 22)
  assert.deepEqual(changes(b), { hiring: null, 'one-on-one': null, lunch: null }, 'before syncing, nothing changed')

  sync(a, b)
  sync(b, a)
  sync(a, b)
  assert.deepEqual(changes(b), {
    staff: null,
    review: null,
    hiring: { op: 'reserve', was: 'booked 2026-11-23T10:00:00.000Z', now: 'booked 2026-11-23T11:00:00.000Z' },
    'one-on-one': { op: 'reserve', was: 'booked 2026-11-23T14:00:00.000Z', now: 'conflict: no alternative free' },
    lunch: null
  })
  assert.equal(eventViews(b).find(e => e.title === 'hiring')?.status, 'committed')
  // A ran B's writes once, at their committed place: nothing changed there.
  assert.ok(eventViews(a).every(e => e.changed === null))
  // The note is kept on disk with the log.
  const restored = Replica.restore(signerOf(b), replicaState(replicaRecords(b.takeChanges()).puts))
  assert.deepEqual(changes(restored), changes(b))
})

test('a move that a commit made fail is noted on the event it meant to move', () => {
  const a = createCalendar(1)
  const b = join(a, 2)
  const { write } = reserve(a, 'standup', [9], 10)
  syncBoth(a, b)
  b.issue({ kind: 'move', eventId: `${write.stamp}@${write.replica}`, start: Date.UTC(2026, 10, 23, 15), durationMinutes: 60 }, 30)
  reserve(a, 'board', [15], 20) // earlier stamp: ordered before B's move, and committed first
  sync(a, b)
  assert.deepEqual(changes(b).standup, { op: 'move', was: 'moved to 2026-11-23T15:00:00.000Z', now: 'slot taken' })
})
