// A calendar stored by calendar-sync 2.0.0 (test/data/calendar/stored-by-2.0.0.json: the calendar
// sublevel of two peers' LevelDBs, written by that version's code) opens with this one: its writes and
// notices keep their own signatures (v1), are sent on as such and verified one by one, and the chains
// start after them. The stored form round-trips once migrated.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Level } from 'level'
import { makeTempDir } from '../../support/cleanup.ts'
import { CalendarStore } from '../../../p2p/calendar/store.ts'
import { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import { signerFromRawKey } from '../../../p2p/calendar/bayou/signing.ts'
import { BayouError } from '../../../p2p/calendar/bayou/errors.ts'
import type { CalendarEvent } from '../../../p2p/calendar/bayou/rows.ts'
import type { Write } from '../../../p2p/calendar/bayou/write.ts'
import { batchOf, framesOf, SnapshotAssembler } from '../../../p2p/calendar/sync/chunks.ts'
import { decodeFrame, encodeFrame } from '../../../p2p/calendar/sync/codec.ts'
import { fingerprint, newSigner, reserve } from './harness.ts'

interface Stored { key: string, records: Array<[string, string]> }
const fixture = JSON.parse(readFileSync(new URL('../../data/calendar/stored-by-2.0.0.json', import.meta.url), 'utf8')) as { calendar: string, p: Stored, a: Stored }
const CAL = fixture.calendar

/** A LevelDB holding exactly what 2.0.0 wrote, opened through today's store. */
async function storeOf (stored: Stored): Promise<{ store: CalendarStore, db: Level<string, Uint8Array> }> {
  const db = new Level<string, Uint8Array>(await makeTempDir('tidepool-calendar-v2-'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  const raw = db.sublevel<string, Uint8Array>('calendar', { valueEncoding: 'view' })
  for (const [key, value] of stored.records) await raw.put(key, new TextEncoder().encode(value))
  return { store: new CalendarStore(db), db }
}

async function open (stored: Stored): Promise<{ replica: Replica, store: CalendarStore, db: Level<string, Uint8Array> }> {
  const { store, db } = await storeOf(stored)
  const replica = Replica.restore(signerFromRawKey(Buffer.from(stored.key, 'base64url')), await store.load(CAL))
  return { replica, store, db }
}

/** One-way anti-entropy through the real frames and codec. */
function syncWire (from: Replica, to: Replica): void {
  const assembler = new SnapshotAssembler()
  for (const frame of framesOf(from.batchFor(to.summary()))) {
    const { frame: parsed, size } = decodeFrame(encodeFrame(frame))
    const data = parsed.type === 'end' ? undefined : assembler.take(parsed, size)
    if (data !== undefined) to.receive(batchOf(data, CAL))
  }
}

const titles = (r: Replica): string[] => r.database.rows<CalendarEvent>('events').map(([, e]) => e.title).sort()

test('a replica stored by 2.0.0 opens with what it held, and its stored form round-trips once migrated', async () => {
  const { replica: p, store, db } = await open(fixture.p)
  const { replica: a, db: aDb } = await open(fixture.a)
  assert.deepEqual(titles(p), ['a0', 'a1', 'a2', 'a3', 'p0', 'p1', 'p2', 'p3', 'p4', 'p5'])
  assert.deepEqual(titles(a), [...titles(p), 'late0', 'late1'].sort())
  assert.equal(p.csn, 12)
  assert.equal(a.tentativeCount(), 2)
  assert.ok(p.log().every(e => e.write.v1 !== undefined && e.notice?.v1 !== undefined && e.write.sig === undefined), 'their own signatures, kept as v1')
  // Saved (the old records go, the migrated ones come) and loaded again: the same replica.
  await store.save({ id: CAL, replica: p.id }, p.takeChanges())
  const again = Replica.restore(signerFromRawKey(Buffer.from(fixture.p.key, 'base64url')), await store.load(CAL))
  assert.equal(fingerprint(again), fingerprint(p))
  await db.close()
  await aDb.close()
})

test('replicas stored by 2.0.0 sync with each other and with a newcomer; new writes chain after the old ones', async () => {
  const { replica: p, db } = await open(fixture.p)
  const { replica: a, db: aDb } = await open(fixture.a)
  // a's two tentative writes (v1) reach the primary, which commits them with chained notices.
  syncWire(a, p)
  assert.equal(p.tentativeCount(), 0)
  const pNew = reserve(p, 'after the upgrade (p)', [7], 100).write
  const aNew = reserve(a, 'after the upgrade (a)', [6], 101).write
  assert.ok(pNew.sig !== undefined && aNew.sig !== undefined)
  syncWire(a, p)
  syncWire(p, a)
  // A newcomer joins through p, whose log is truncated: a stable database, then the rest of the log.
  const cSigner = newSigner()
  const joined = p.issue({ kind: 'join', member: cSigner.author }, 102).write
  const c = Replica.joining({ calendar: CAL, id: `<${joined.stamp},R>`, signer: cSigner })
  syncWire(p, c)
  syncWire(a, c)
  syncWire(p, a)
  for (const r of [a, c]) {
    assert.deepEqual(r.database.snapshot(), p.database.snapshot())
    assert.equal(r.csn, p.csn)
  }
  assert.ok(titles(c).includes('late1') && titles(c).includes('after the upgrade (a)'))
  await db.close()
  await aDb.close()
})

test('a write stored by 2.0.0 that was altered is refused: its own signature no longer verifies', async () => {
  const { replica: a, db } = await open(fixture.a)
  const fresh = Replica.joining({ calendar: CAL, id: a.id, signer: newSigner() })
  const batch = a.batchFor(fresh.summary())
  const i = batch.writes.findIndex(w => w.op.kind === 'reserve')
  const altered = batch.writes.map((w, k): Write => k === i ? { ...w, op: { ...w.op, title: 'forged' } as Write['op'] } : w)
  assert.throws(() => fresh.receive({ ...batch, writes: altered }), (err: unknown) => err instanceof BayouError && err.code === 'bad-signature')
  await db.close()
})
