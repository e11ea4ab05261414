// The rebroadcast queue after a reorg: each transaction announced once, at a bounded rate; one that
// reached no peer is tried again after a pause, until it expires.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { REBROADCAST_PER_SECOND, REBROADCAST_RETRY_MS, REBROADCAST_TTL_MS, RebroadcastQueue } from '../../../p2p/ledger/sync/rebroadcast.ts'

const ids = (n: number, prefix = 't'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

test('a burst goes out at the rate, oldest first, and each id once', () => {
  const queue = new RebroadcastQueue(0)
  queue.offer(ids(REBROADCAST_PER_SECOND * 3), 0)
  const first = queue.take(0)
  assert.deepEqual(first.map(a => a.id), ids(REBROADCAST_PER_SECOND))
  assert.deepEqual(queue.take(0), [], 'no tokens left')
  assert.equal(queue.delay(0), 1000 / REBROADCAST_PER_SECOND)
  assert.equal(queue.take(500).length, REBROADCAST_PER_SECOND / 2)
  for (const a of first) queue.sent(a.id)
  queue.offer(ids(REBROADCAST_PER_SECOND), 500)
  assert.equal(queue.size, REBROADCAST_PER_SECOND * 3 / 2, 'announced and waiting ids are not queued again')
  assert.equal(queue.take(10_000).length, REBROADCAST_PER_SECOND, 'the bucket holds one second of tokens')
})

test('an announcement that reached no peer waits, then is retried until it expires', () => {
  const queue = new RebroadcastQueue(0)
  queue.offer(['a'], 0)
  const [a] = queue.take(0)
  queue.retry(a!, 0)
  assert.equal(queue.delay(0), REBROADCAST_RETRY_MS)
  assert.deepEqual(queue.take(REBROADCAST_RETRY_MS - 1), [])
  assert.deepEqual(queue.take(REBROADCAST_RETRY_MS).map(x => x.id), ['a'])
  queue.retry(a!, REBROADCAST_TTL_MS)
  assert.deepEqual(queue.take(REBROADCAST_TTL_MS + REBROADCAST_RETRY_MS), [], 'expired')
  assert.equal(queue.delay(REBROADCAST_TTL_MS + REBROADCAST_RETRY_MS), undefined)
})
