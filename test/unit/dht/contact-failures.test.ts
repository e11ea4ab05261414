// When a Chord node gives up on a routing entry: at the second failed contact in a row.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ContactFailures, FORGET_AFTER_FAILURES, MAX_TRACKED_NODES } from '../../../p2p/dht/chord/contact-failures.ts'

test('a peer is forgotten at its second consecutive failure, not its first', () => {
  assert.equal(FORGET_AFTER_FAILURES, 2)
  const failures = new ContactFailures()
  assert.equal(failures.failed('a'), false)
  assert.equal(failures.failed('a'), true)
  // Forgotten and learned again from a neighbour's stale list, it is still suspect: its next failure is enough.
  assert.equal(failures.failed('a'), true)
  // Until it answers: then it has its two chances again.
  failures.answered('a')
  assert.equal(failures.failed('a'), false)
})

test('the memory of failures is bounded: the longest-quiet node is dropped first', () => {
  const failures = new ContactFailures()
  failures.failed('first')
  for (let i = 0; i < MAX_TRACKED_NODES; i++) failures.failed(`n${i}`)
  assert.equal(failures.failed('first'), false) // its earlier failure was dropped to make room
  assert.equal(failures.failed('n1'), true)
})

test('an answer in between clears the count; peers are counted apart', () => {
  const failures = new ContactFailures()
  assert.equal(failures.failed('a'), false)
  failures.answered('a')
  assert.equal(failures.failed('a'), false)
  assert.equal(failures.failed('b'), false)
  assert.equal(failures.failed('a'), true)
  assert.equal(failures.failed('b'), true)
})

test('the limit must be a positive whole number', () => {
  assert.throws(() => new ContactFailures(0), RangeError)
  assert.equal(new ContactFailures(1).failed('a'), true)
})
