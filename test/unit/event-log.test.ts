// The event log keeps one line per download and per peer's ping, so a busy download cannot push
// everything else out.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { logEvent, type LoggedEvent } from '../../renderer/src/state/event-log.ts'
import type { TidepoolEvent } from '../../renderer/src/api/types.ts'

const progress = (cid: string, bytesDone: number): TidepoolEvent => ({
  type: 'files:progress',
  file: { cid, name: `${cid}.bin`, size: 100, state: 'downloading', origin: 'downloaded', pinned: true, private: false, link: '', bytesDone, rateBytesPerSec: 0, etaSeconds: null, providers: [], dropped: [], fetchedChunks: 0, resumedChunks: 0, path: null, saved: null, version: bytesDone }
})

test('repeated updates of one thing keep one line, on top, counting them; other events stay', () => {
  let log: LoggedEvent[] = []
  let seq = 0
  const add = (event: TidepoolEvent): void => { log = logEvent(log, { seq: ++seq, at: seq, event }, 5) }
  add({ type: 'network', online: true })
  for (let i = 0; i < 20; i++) add(progress('a', i))
  add(progress('b', 1))
  add({ type: 'peer:latency', peerId: 'p', latencyMs: 1 })
  add({ type: 'peer:latency', peerId: 'p', latencyMs: 2 })
  add(progress('a', 50))
  assert.deepEqual(log.map(e => [e.event.type, e.count]), [
    ['files:progress', 21], ['peer:latency', 2], ['files:progress', 1], ['network', 1]
  ])
  assert.equal((log[0]!.event as { file: { bytesDone: number } }).file.bytesDone, 50)
})

test('events that stand alone are never merged, and the log keeps its size', () => {
  let log: LoggedEvent[] = []
  for (let i = 0; i < 10; i++) log = logEvent(log, { seq: i, at: i, event: { type: 'network', online: i % 2 === 0 } }, 4)
  assert.deepEqual(log.map(e => e.seq), [9, 8, 7, 6])
})
