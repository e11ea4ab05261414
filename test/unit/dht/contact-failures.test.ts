// When a Chord node gives up on a routing entry: at the second failed contact in a row.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ContactFailures, FORGET_AFTER_FAILURES } from '../../../p2p/dht/chord/contact-failures.ts'

test('a peer is forgotten at its second consecutive failure, not its first', () => {
  assert.equal(FORGET_AFTER_FAILURES, 2)
  const failures = new ContactFailures()
  assert.equal(failures.failed('a'), false)
  assert.equal(failures.failed('a'), true)
  // Counting starts again after forgetting: a peer met anew gets its own two chances.
  assert.equal(failures.failed('a'), false)
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
