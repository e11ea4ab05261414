// Version vectors, joining and retiring replicas, truncation, primary handoff.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { coverage } from '../../../p2p/calendar/bayou/version-vector.ts'
import { childReplicaId, isReplicaId, parseReplicaId } from '../../../p2p/calendar/bayou/order.ts'
import { BayouError } from '../../../p2p/calendar/bayou/errors.ts'
import { createCalendar, fingerprint, join, reserve, schedule, sharedState, sync, syncBoth } from './harness.ts'

test('replica ids are <Tz,X>, nested', () => {
  assert.equal(childReplicaId(20, 'X'), '<20,X>')
  assert.deepEqual(parseReplicaId('<35,<20,R>>'), { tz: 35, creator: '<20,R>' })
  assert.equal(parseReplicaId('R'), null)
  for (const id of ['R', '<1,R>', '<35,<20,R>>']) assert.equal(isReplicaId(id), true, id)
  for (const id of ['', 'X', '<a,R>', '<1,X>', '<1,R', '1,R>']) assert.equal(isReplicaId(id), false, id)
})

test('a missing version-vector entry: retired when the creator is covered past Tz, else unknown', () => {
  const table: Array<[Record<string, number>, string, number]> = [
    [{ R: 10, '<20,R>': 25 }, '<20,R>', 25], // present
    [{ R: 10 }, '<20,R>', 0], // R:10 < 20: has not seen Z's creation — send it everything
    [{ R: 30 }, '<20,R>', Infinity], // R:30 >= 20: saw the creation, Z is gone: it saw the retirement
    [{ R: 20 }, '<20,R>', Infinity],
    [{ R: 30 }, '<40,<20,R>>', Infinity], // creator <20,R> retired, so everything it made was seen
    [{ R: 10 }, '<40,<20,R>>', 0],
    [{ R: 30, '<20,R>': 39 }, '<40,<20,R>>', 0],
    [{ R: 30, '<20,R>': 40 }, '<40,<20,R>>', Infinity],
    [{}, 'R', Infinity] // the root is only ever missing once retired
  ]
  for (const [vv, replica, want] of table) assert.equal(coverage(vv, replica), want, `${JSON.stringify(vv)} ${replica}`)
})

test('join: the new replica is <Tz,X> with Tz the sponsor\'s clock, and writes after its creation', () => {
  const p = createCalendar(1)
  const a = join(p, 50)
  assert.equal(a.id, '<50,R>')
  const z = join(a, 60)
  assert.equal(z.id, '<60,<50,R>>')
  const w = reserve(z, 'z', [9], 5) // z's wall clock is far behind
  assert.ok(w.write.stamp > 60)
  syncBoth(z, p)
  assert.deepEqual(schedule(p), { z: 9 })
})

test('retirement: the retired replica leaves every version vector, and is never resent nor mistaken for new', () => {
  const p = createCalendar(1)
  const a = join(p, 2)
  const stale = join(p, 3) // hears nothing more until the end
  const z = join(a, 10)
  reserve(z, 'from z', [9], 20)
  z.issue({ kind: 'retire' }, 30)
  assert.throws(() => reserve(z, 'after retiring', [10], 40), (err: unknown) => err instanceof BayouError && err.code === 'not-member')
  sync(z, a)
  sync(a, p)
  assert.equal(z.id in p.versionVector(), false, 'retired replica dropped')
  assert.equal(z.id in a.versionVector(), false)
  // p has dropped z; sending to a replica that never heard of z still sends z's writes…
  const toStale = p.batchFor(stale.summary())
  assert.ok(toStale.writes.some(w => w.replica === z.id))
  sync(p, stale)
  assert.deepEqual(schedule(stale), { 'from z': 9 })
  // …and one that saw the retirement is sent none of them.
  assert.equal(a.batchFor(p.summary()).writes.filter(w => w.replica === z.id).length, 0)
  assert.equal(sharedState(stale), sharedState(p))
})

test('truncation: a replica behind the OSN receives the stable database, then the tentative writes', () => {
  const p = createCalendar(1)
  const a = join(p, 2)
  const behind = join(p, 3)
  for (let i = 0; i < 10; i++) reserve(p, `p${i}`, [i], 10 + i)
  reserve(a, 'tentative at a', [20], 30)
  sync(a, p)
  reserve(a, 'still tentative', [21], 40)
  sync(p, a)
  const dropped = p.truncate(p.csn - 2)
  assert.ok(dropped > 10)
  assert.equal(p.osn, p.csn - 2)
  sync(a, p) // p now has a tentative write too
  const batch = p.batchFor(behind.summary())
  assert.ok(batch.snapshot != null, 'stable database sent')
  assert.equal(batch.commits.length, 0)
  const result = sync(p, behind)
  assert.equal(result.snapshot, true)
  assert.equal(behind.csn, p.csn)
  assert.deepEqual(schedule(behind), schedule(p))
  assert.equal(JSON.stringify(behind.database.snapshot()), JSON.stringify(p.database.snapshot()))
  // A replica not behind the OSN gets log entries, not a snapshot.
  assert.equal(p.batchFor(a.summary()).snapshot, undefined)
  // And the snapshot receiver keeps syncing normally.
  reserve(behind, 'after snapshot', [22], 50)
  sync(behind, p)
  sync(p, a)
  assert.deepEqual(schedule(a), schedule(behind))
})

test('a stable database that covers a replica this one never heard of, and that replica\'s creation, covers its writes too', () => {
  const p = createCalendar(1)
  const behind = join(p, 2) // knows of x's creation, but of nothing x does after
  const x = join(p, 3)
  const z = join(x, 4) // <Tz,X>: created by x after `behind` last heard from x
  const { write } = reserve(z, 'by z', [9], 5)
  sync(z, x)
  sync(x, p)
  p.truncate(p.csn)
  const result = sync(p, behind)
  assert.equal(result.snapshot, true)
  // The vector covers z's write, so z's write coming again is a duplicate, not run a second time.
  assert.ok((behind.versionVector()[z.id] ?? 0) >= write.stamp, JSON.stringify(behind.versionVector()))
  assert.equal(sync(z, behind).accepted, 0)
  assert.equal(JSON.stringify(behind.database.snapshot()), JSON.stringify(p.database.snapshot()))
})

test('primary handoff: commits continue at the new primary, and the old one can no longer commit', () => {
  const p = createCalendar(1)
  const a = join(p, 2)
  const b = join(p, 3)
  syncBoth(p, a); syncBoth(p, b)
  const handoff = p.issue({ kind: 'handoff', to: a.id }, 10)
  assert.equal(handoff.outcome.ok, true)
  assert.equal(p.primary, a.id)
  sync(p, a)
  assert.equal(a.primary, a.id)
  reserve(b, 'b', [9], 20)
  sync(b, a)
  assert.equal(a.tentativeCount(), 0, 'the new primary committed b\'s write')
  const csn = a.csn
  reserve(b, 'b2', [10], 30)
  const oldPrimaryCsn = p.csn
  sync(b, p)
  assert.equal(p.csn, oldPrimaryCsn, 'the old primary no longer commits')
  assert.equal(p.tentativeCount(), 2)
  sync(a, p); sync(p, b); sync(a, b)
  assert.equal(b.csn, csn)
  // A handoff by a non-primary fails its dependency check.
  const refused = b.issue({ kind: 'handoff', to: b.id }, 40)
  assert.equal(refused.outcome.ok, false)
  for (const r of [p, b]) sync(a, r)
  sync(b, a); sync(a, p); sync(a, b)
  assert.equal(fingerprint(p).includes('only the primary can hand off'), true)
  assert.equal(sharedState(p), sharedState(b))
})
