// A provider's upload cap holds for all its downloaders together: each stream's chunks wait their turn
// in one shared token bucket, and a cap set while serving applies from the next range.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Connection } from '@libp2p/interface'
import { streamPair } from '@libp2p/utils'
import { openTempFileStore } from '../../support/file-store.ts'
import { filesHandler } from '../../../p2p/files/server.ts'
import { RateLimit } from '../../../p2p/files/meter.ts'
import { messageChannel } from '../../../p2p/wire/index.ts'
import { RangeHeader } from '../../../p2p/files/protocol.ts'

const LEAF = 262_144
const CAP = 2 * 1024 * 1024 // 8 leaves a second: a leaf every 125 ms once the bucket is empty

test('an upload cap paces chunks, shared by every stream, and applies to ranges asked after it is set', async () => {
  const { store, db } = await openTempFileStore('tidepool-files-cap-')
  try {
    const record = await store.add((async function * () { yield randomBytes(4 * LEAF) })(), 'capped.bin')
    let limit: RateLimit | undefined
    const serve = filesHandler(store, () => {}, { uploadLimit: () => limit })
    const fetchAll = async (): Promise<number> => {
      const [downloader, provider] = await streamPair()
      void serve(provider, {} as Connection)
      const channel = messageChannel(downloader, { maxMessageBytes: 8 * LEAF, timeoutMs: 10_000 })
      const started = Date.now()
      await channel.write({ type: 'range', root: record.cid, start: 0, count: 4 })
      assert.equal((await channel.read(RangeHeader)).type, 'range')
      for (let i = 0; i < 4; i++) assert.equal((await channel.readBytes()).byteLength, LEAF)
      await channel.close()
      return Date.now() - started
    }

    const uncapped = await fetchAll()
    limit = new RateLimit(CAP, Date.now())
    // One stream: the first leaf at once, then three 125 ms waits.
    const one = await fetchAll()
    assert.ok(one >= 350, `4 leaves under the cap took ${one} ms (uncapped: ${uncapped} ms)`)
    // Two streams at once share the bucket: 8 leaves, the last after seven waits.
    const started = Date.now()
    await Promise.all([fetchAll(), fetchAll()])
    const both = Date.now() - started
    assert.ok(both >= 850, `two streams of 4 leaves took ${both} ms`)
  } finally {
    await db.close()
  }
})
