// The hash chains (bayou/chain.ts), without a network: a replica's writes and the primary's notices are
// each vouched for by one signature at the end of a run, linked to what the receiver holds. Forged
// links, gaps, reordered runs, a bad signature anywhere that counts: each refused with its code, and
// nothing changed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BayouError, type BayouErrorCode } from '../../../p2p/calendar/bayou/errors.ts'
import type { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import type { Batch } from '../../../p2p/calendar/bayou/messages.ts'
import type { CommitNotice, Write } from '../../../p2p/calendar/bayou/write.ts'
import { CHAIN_START, writeHash } from '../../../p2p/calendar/bayou/chain.ts'
import { createCalendar, fingerprint, join, reserve, sync } from './harness.ts'

function assertRefused (r: Replica, batch: Batch, code: BayouErrorCode): void {
  const before = fingerprint(r)
  assert.throws(() => r.receive(batch), (err: unknown) => err instanceof BayouError && err.code === code, code)
  assert.equal(fingerprint(r), before, `${code}: nothing changed`)
}

/** p the primary, a and b members; a has issued `n` writes b has not seen. */
function setup (n = 3): { p: Replica, a: Replica, b: Replica, run: Write[] } {
  const p = createCalendar(1)
  const a = join(p, 2)
  const b = join(p, 3)
  sync(p, a)
  const run = Array.from({ length: n }, (_, i) => reserve(a, `a${i}`, [10 + i], 10 + i).write)
  return { p, a, b, run }
}

test('a run of writes is checked with one signature: the last one, which is the only one kept', () => {
  const { b, run } = setup(50)
  // Only the last signature counts: the others may be anything (a forwarder holds none of them).
  const batch = { writes: run.map((w, i) => i < run.length - 1 ? { ...w, sig: undefined } : w), commits: [] }
  assert.equal(b.receive(batch).accepted, 50)
  const held = b.log().filter(e => e.write.replica === run[0]?.replica)
  assert.equal(held.length, 50)
  assert.deepEqual(held.map(e => e.write.sig !== undefined), [...Array(49).fill(false), true])
  assert.deepEqual(held.map(e => e.write.hash), run.map(w => w.hash), 'the same chain as its author')
})

test('a forged link, a gap and a reordered run are refused as broken-chain', () => {
  const { b, run } = setup(3)
  const [w0, w1, w2] = run as [Write, Write, Write]
  assertRefused(b, { writes: [{ ...w0, prev: writeHash(CHAIN_START, { ...w0, stamp: 1 }) }, w1, w2], commits: [] }, 'broken-chain')
  assertRefused(b, { writes: [w1, w2], commits: [] }, 'broken-chain') // the first is missing
  assertRefused(b, { writes: [w0, w2, w1], commits: [] }, 'broken-chain')
  assertRefused(b, { writes: [w1, w0, w2], commits: [] }, 'broken-chain')
  // The run in order goes through.
  assert.equal(b.receive({ writes: run, commits: [] }).accepted, 3)
})

test('a bad signature in a run, or none at its end, refuses the whole run', () => {
  const { b, run } = setup(3)
  const [w0, w1, w2] = run as [Write, Write, Write]
  assertRefused(b, { writes: [w0, w1, { ...w2, sig: w0.sig }], commits: [] }, 'bad-signature')
  assertRefused(b, { writes: [w0, w1, { ...w2, sig: undefined }], commits: [] }, 'bad-signature')
  // A write in the middle altered, sent as the wire sends a run (a link on its first write only): the
  // head no longer matches what was signed. (With its successor's link given, that link breaks first.)
  const altered = { ...w1, op: { ...w1.op, title: 'forged' } as Write['op'], prev: undefined }
  assertRefused(b, { writes: [w0, altered, { ...w2, prev: undefined }], commits: [] }, 'bad-signature')
  assertRefused(b, { writes: [w0, altered, w2], commits: [] }, 'broken-chain')
  // Dropping the end of a run leaves its new end unsigned (a forwarder holds no signature there).
  assertRefused(b, { writes: [w0, { ...w1, sig: undefined }], commits: [] }, 'bad-signature')
})

test('a run that continues one already received links to its head; duplicates before it are skipped', () => {
  const { b, run } = setup(4)
  b.receive({ writes: run.slice(0, 2), commits: [] })
  const result = b.receive({ writes: run, commits: [] })
  assert.equal(result.accepted, 2)
  assert.equal(result.duplicates, 2)
})

test('commit notices: one signature per run of the primary; a forged link or an altered notice is refused', () => {
  const { p, a, b } = setup(0)
  for (let i = 0; i < 5; i++) reserve(a, `a${i}`, [10 + i], 20 + i)
  sync(a, p) // p commits the five in one run: one signature, on the last notice
  const batch = p.batchFor(b.summary())
  const notices = batch.commits
  assert.ok(notices.length >= 5)
  const tail = notices.slice(-5)
  assert.deepEqual(tail.map(n => n.sig !== undefined), [false, false, false, false, true])
  const swap = (i: number, n: Partial<CommitNotice>): Batch => ({ writes: batch.writes, commits: notices.map((x, k) => k === i ? { ...x, ...n } : x) })
  const last = notices.length - 1
  assertRefused(b, swap(last - 2, { prev: 'B'.repeat(43) }), 'broken-chain')
  // Another write named at a CSN, sent as the wire sends a run (a link on its first notice only): the
  // chain's head changes and the primary's signature fails.
  const other = notices[last - 3] as CommitNotice
  const unlinked = notices.map((x, k) => k > last - 3 ? { ...x, prev: undefined } : x)
  assertRefused(b, { writes: batch.writes, commits: unlinked.map((x, k) => k === last - 2 ? { ...x, replica: other.replica, stamp: other.stamp } : x) }, 'bad-commit')
  assertRefused(b, swap(last, { sig: undefined }), 'bad-commit')
  assertRefused(b, { writes: batch.writes, commits: [...notices.slice(0, last - 1), notices[last] as CommitNotice, notices[last - 1] as CommitNotice] }, 'out-of-order')
  const result = b.receive(batch)
  assert.equal(result.committed, notices.length)
  assert.equal(b.csn, p.csn)
})

test('a forwarder sends on what it verified: a replica joining through it accepts all of it', () => {
  const { p, a, b, run } = setup(20)
  sync(a, p) // p commits a's run
  sync(p, b) // b holds a's writes and p's notices, with one signature per run
  const c = join(b, 40) // c is filled in by b alone
  assert.ok(c.log().filter(e => e.write.replica === a.id).length === run.length)
  sync(b, p)
  sync(p, b)
  sync(b, c)
  assert.equal(c.csn, p.csn)
  assert.deepEqual(c.log().map(e => e.notice?.hash), p.log().map(e => e.notice?.hash))
})
