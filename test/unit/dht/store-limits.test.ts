// What a node takes from others into its DHT store: size, total and per-publisher limits.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { StoreUsage, storeRefusal } from '../../../p2p/dht/store-limits.ts'

const limits = { maxRecordBytes: 100, maxRecords: 3, maxPerPublisher: 2 }

test('an oversized record is refused, even as a replacement', () => {
  const usage = new StoreUsage()
  assert.equal(storeRefusal({ publisher: 'a' }, 101, false, usage, limits), 'record-too-large')
  assert.equal(storeRefusal({ publisher: 'a' }, 101, true, usage, limits), 'record-too-large')
  assert.equal(storeRefusal({ publisher: 'a' }, 100, false, usage, limits), undefined)
})

test('one publisher cannot take more than its quota, and the store stops at its total; replacements always fit', () => {
  const usage = new StoreUsage()
  usage.added('a')
  usage.added('a')
  assert.equal(storeRefusal({ publisher: 'a' }, 10, false, usage, limits), 'publisher-quota')
  assert.equal(storeRefusal({ publisher: 'a' }, 10, true, usage, limits), undefined)
  assert.equal(storeRefusal({ publisher: 'b' }, 10, false, usage, limits), undefined)
  usage.added('b')
  assert.equal(storeRefusal({ publisher: 'c' }, 10, false, usage, limits), 'store-full')
  usage.removed('a')
  assert.equal(usage.total, 2)
  assert.equal(usage.of('a'), 1)
  assert.equal(storeRefusal({ publisher: 'c' }, 10, false, usage, limits), undefined)
  assert.equal(storeRefusal({ publisher: 'a' }, 10, false, usage, limits), undefined)
})
