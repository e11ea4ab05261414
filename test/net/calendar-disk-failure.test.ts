// A disk batch that fails (disk full, I/O error) must not leave the replica in memory ahead of its
// store: the write is refused, and what the peer shows and syncs stays what a restart would load.
// A real peer and a real LevelDB; only the one failing batch is injected.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { Level } from 'level'
import { startInProcess } from '../support/in-process.ts'
import { makeTempDir } from '../support/cleanup.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'
import { loadOrCreateIdentity } from '../../p2p/node/identity.ts'
import { CalendarService } from '../../p2p/calendar/service.ts'
import { CalendarStore, type CalendarRecord } from '../../p2p/calendar/store.ts'
import { Replica, type ReplicaChanges } from '../../p2p/calendar/bayou/replica.ts'
import { signerFromRawKey } from '../../p2p/calendar/bayou/signing.ts'
import { calendarSyncProtocol } from '../../p2p/calendar/sync/protocol.ts'
import type { Op } from '../../p2p/calendar/bayou/ops.ts'

/** A real store whose next batch fails when told to, as a full disk would. */
class FailingStore extends CalendarStore {
  failNext = false
  override async save (calendar: CalendarRecord, changes: ReplicaChanges, isNew = false): Promise<void> {
    if (this.failNext) {
      this.failNext = false
      throw new Error('IO error: No space left on device')
    }
    await super.save(calendar, changes, isNew)
  }
}

let peer: RunningTidepool | undefined
let db: Level<string, Uint8Array> | undefined
after(async () => { await db?.close(); await peer?.stop() })

const reserve = (title: string, hour: number): Op => ({ kind: 'reserve', title, durationMinutes: 60, alternatives: [Date.UTC(2026, 10, 23, hour)], room: 'main' })

/** Everything a replica holds, to compare the one in memory with the one on disk. */
const fingerprint = (r: Replica): string => JSON.stringify([r.database.snapshot(), r.log(), r.meta()])

test('a write whose disk batch fails is refused and forgotten; memory stays what the disk holds', async () => {
  peer = await startInProcess(['--network', 'test-calendar-disk'])
  const signer = signerFromRawKey((await loadOrCreateIdentity(peer.peer.dataDir)).raw)
  db = new Level<string, Uint8Array>(await makeTempDir('tidepool-calendar-disk-'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  const store = new FailingStore(db)
  const service = new CalendarService({
    store, node: peer.peer.node, events: peer.peer.events, signer, protocol: calendarSyncProtocol('test-calendar-disk-second'), log: () => {}, streamFailed: () => {}
  })
  await service.start()
  const onDisk = async (id: string): Promise<Replica> => Replica.restore(signer, await store.load(id))

  const { id } = await service.create('disk')
  await service.write(id, reserve('kept', 9))
  store.failNext = true
  await assert.rejects(service.write(id, reserve('lost', 10)), /No space left/)
  assert.equal(fingerprint(service.replica(id)), fingerprint(await onDisk(id)), 'memory is back to the disk')
  assert.deepEqual(service.replica(id).database.rows('events').map(([, e]: [string, any]) => e.title), ['kept'])

  // The next write builds on what is stored, and a restart loads exactly what the peer showed.
  await service.write(id, reserve('after', 11))
  const replica = service.replica(id)
  assert.equal(fingerprint(replica), fingerprint(await onDisk(id)))
  assert.deepEqual(replica.log().map(e => e.csn), replica.log().map((_, i) => i + 1), 'no gap in the committed log')

  store.failNext = true
  await assert.rejects(service.create('never stored'), /No space left/)
  assert.deepEqual(service.ids(), [id], 'a calendar whose first batch failed is not held')
  await service.stop()
})
