// The UI's library keeps the newest entry of each file whichever order API answers and events arrive in:
// a download's "downloading" answer landing after its "complete" event must not undo it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mergeSnapshot, upsertEntry } from '../../../renderer/src/files/library.ts'
import type { FileEntry } from '../../../p2p/files/api.ts'

const entry = (cid: string, state: FileEntry['state'], version: number): FileEntry => ({
  cid, name: `${cid}.bin`, size: 10, state, origin: 'downloaded', pinned: true, private: false, link: `tidepool://${cid}`,
  bytesDone: state === 'complete' ? 10 : 0, rateBytesPerSec: 0, etaSeconds: null, providers: [], dropped: [],
  fetchedChunks: 0, resumedChunks: 0, path: null, saved: null, version
})

test('an older entry arriving after a newer one does not replace it; a newer one does', () => {
  const afterEvent = upsertEntry([], entry('a', 'complete', 20))
  assert.equal(upsertEntry(afterEvent, entry('a', 'downloading', 10))[0]!.state, 'complete')
  assert.equal(upsertEntry(afterEvent, entry('a', 'sharing', 30))[0]!.state, 'sharing')
  assert.deepEqual(upsertEntry(afterEvent, entry('b', 'downloading', 5)).map(f => f.cid), ['b', 'a'])
})

test('a full listing keeps newer entries, drops files it no longer lists, keeps files added after it', () => {
  const current = [entry('a', 'complete', 50), entry('gone', 'complete', 5), entry('new', 'downloading', 60)]
  const listing = [entry('a', 'downloading', 40), entry('b', 'sharing', 45)]
  const merged = mergeSnapshot(current, listing)
  assert.deepEqual(merged.map(f => [f.cid, f.state]), [['new', 'downloading'], ['a', 'complete'], ['b', 'sharing']])
  assert.deepEqual(mergeSnapshot(current, []), [])
})
