// The serving side gives up a downloader that goes quiet, so an idle or vanished one can't hold a stream
// slot and an open file for ever; one that keeps asking is served as long as it likes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { streamPair } from '@libp2p/utils'
import type { Connection } from '@libp2p/interface'
import { openTempFileStore } from '../../support/file-store.ts'
import { filesHandler } from '../../../p2p/files/server.ts'
import { messageChannel, WireError } from '../../../p2p/wire/index.ts'
import { RangeHeader } from '../../../p2p/files/protocol.ts'

const IDLE_MS = 300

test('a provider closes a stream on which nothing was asked for its idle timeout, not before', async () => {
  const { store, db } = await openTempFileStore('tidepool-files-idle-')
  try {
    const record = await store.add((async function * () { yield randomBytes(3 * 262_144) })(), 'idle.bin')
    const [downloader, provider] = await streamPair()
    const failures: Error[] = []
    // Only a failed stream's report reads the connection (its sender).
    const served = filesHandler(store, (_peer, err) => { failures.push(err) }, { idleTimeoutMs: IDLE_MS })(provider, {} as Connection)
    const channel = messageChannel(downloader, { timeoutMs: 10_000 })

    // Requests spaced at under the timeout keep the stream open well past it.
    const started = Date.now()
    for (let i = 0; i < 3; i++) {
      await new Promise(resolve => setTimeout(resolve, IDLE_MS / 2))
      await channel.write({ type: 'range', root: record.cid, start: i, count: 1 })
      assert.equal((await channel.read(RangeHeader)).type, 'range')
      assert.equal((await channel.readBytes()).byteLength, 262_144)
    }
    assert.ok(Date.now() - started > IDLE_MS)

    // Then silence: the provider gives up on the stream (aborting it, which resets it on a real connection).
    const quiet = Date.now()
    // The timeout's timer is unref'd (a peer has other work keeping it alive); this deadline keeps the test alive.
    let deadline: NodeJS.Timeout | undefined
    await Promise.race([served, new Promise((resolve, reject) => { deadline = setTimeout(() => { reject(new Error('the stream was never given up')) }, 10_000) })])
    clearTimeout(deadline)
    assert.ok(Date.now() - quiet >= IDLE_MS * 0.9, `gave up after ${Date.now() - quiet} ms`)
    assert.equal(provider.status, 'aborted')
    // Reported as the downloader's fault: a stall.
    assert.ok(failures.some(err => err instanceof WireError && err.code === 'timeout'), failures.join('\n'))
  } finally {
    await db.close()
  }
})
