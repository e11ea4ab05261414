// Writes and commit notices that lie: each is refused with a BayouError and leaves the replica as it was.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BayouError, type BayouErrorCode } from '../../../p2p/calendar/bayou/errors.ts'
import { linkCommit, signWrite, type CommitNotice, type Write } from '../../../p2p/calendar/bayou/write.ts'
import { CHAIN_START } from '../../../p2p/calendar/bayou/chain.ts'
import { Frame } from '../../../p2p/calendar/sync/protocol.ts'
import type { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import { Snapshot, type Batch } from '../../../p2p/calendar/bayou/messages.ts'
import { CALENDAR, at, createCalendar, fingerprint, join, newSigner, reserve, signerOf, sync } from './harness.ts'

function assertRefused (r: Replica, batch: Batch, code: BayouErrorCode): void {
  const before = fingerprint(r)
  assert.throws(() => r.receive(batch), (err: unknown) => err instanceof BayouError && err.code === code, code)
  assert.equal(fingerprint(r), before, `${code}: nothing changed`)
}

function setup (): { p: Replica, a: Replica, b: Replica } {
  const p = createCalendar(1)
  const a = join(p, 2)
  const b = join(p, 3)
  sync(p, a)
  return { p, a, b }
}

test('a write whose op was altered after signing is refused', () => {
  const { a, b } = setup()
  const { write } = reserve(a, 'real', [10], 10)
  const altered = { ...write, op: { ...write.op, title: 'forged' } as Write['op'] }
  assertRefused(b, { writes: [altered], commits: [] }, 'bad-signature')
  assertRefused(b, { writes: [{ ...write, stamp: write.stamp + 1 }], commits: [] }, 'bad-signature')
  assertRefused(b, { writes: [{ ...write, sig: 'A'.repeat(86) }], commits: [] }, 'bad-signature')
  // The genuine write still goes through afterwards.
  assert.equal(b.receive({ writes: [write], commits: [] }).accepted, 1)
})

test('a write signed by a key that does not own the replica is refused', () => {
  const { a, b } = setup()
  const stranger = newSigner()
  const forged = signWrite(stranger, { calendar: CALENDAR, replica: a.id, stamp: 100, op: { kind: 'cancel', eventId: '1@R' } })
  assertRefused(b, { writes: [forged], commits: [] }, 'unknown-replica')
  const unknown = signWrite(stranger, { calendar: CALENDAR, replica: '<99,R>', stamp: 100, op: { kind: 'retire' } })
  assertRefused(b, { writes: [unknown], commits: [] }, 'unknown-replica')
  const otherCalendar = signWrite(stranger, { calendar: 'deadbeef00000000', replica: a.id, stamp: 100, op: { kind: 'retire' } })
  assertRefused(b, { writes: [otherCalendar], commits: [] }, 'wrong-calendar')
  const secondGenesis = signWrite(stranger, { calendar: CALENDAR, replica: 'R', stamp: 100, op: { kind: 'create', name: 'mine' } })
  assertRefused(b, { writes: [secondGenesis], commits: [] }, 'invalid-op')
})

test('one bad write spoils the whole batch: the good ones before it are not applied either', () => {
  const { a, b } = setup()
  const good = reserve(a, 'good', [10], 10).write
  const second = reserve(a, 'bad', [11], 11).write
  const bad = { ...second, op: { ...second.op, title: 'forged' } as Write['op'] }
  assertRefused(b, { writes: [good, bad], commits: [] }, 'bad-signature')
  assertRefused(b, { writes: [good, { ...second, author: newSigner().author }], commits: [] }, 'unknown-replica')
})

test('commit notices not from the primary, out of order, or for unknown writes are refused', () => {
  const { p, a, b } = setup()
  const { write } = reserve(a, 'x', [10], 10)
  const notice = (signer = newSigner(), csn = b.csn + 1, w = write): CommitNotice =>
    linkCommit(signer, { calendar: CALENDAR, csn, replica: w.replica, stamp: w.stamp }, b.meta().commitHead ?? CHAIN_START, true)
  assertRefused(b, { writes: [write], commits: [notice()] }, 'bad-commit')
  // Even a member that is not the primary cannot commit.
  const aSigner = signerOf(a)
  assertRefused(b, { writes: [write], commits: [notice(aSigner)] }, 'bad-commit')
  const pSigner = signerOf(p)
  assertRefused(b, { writes: [write], commits: [notice(pSigner, b.csn + 2)] }, 'out-of-order')
  assertRefused(b, { writes: [], commits: [notice(pSigner)] }, 'bad-commit')
  const tampered = { ...notice(pSigner), stamp: write.stamp + 1 }
  assertRefused(b, { writes: [write], commits: [tampered] }, 'bad-commit')
  // The primary's own notice is accepted.
  assert.equal(b.receive({ writes: [write], commits: [notice(pSigner)] }).committed, 1)
})

test('a replayed batch changes nothing', () => {
  const { p, a, b } = setup()
  reserve(a, 'x', [10], 10)
  sync(a, p)
  const batch = p.batchFor(b.summary())
  b.receive(batch)
  const before = fingerprint(b)
  const again = b.receive(batch)
  assert.equal(again.accepted, 0)
  assert.equal(again.duplicates, batch.writes.length)
  assert.equal(fingerprint(b), before)
})

test('the frame schema refuses ops outside the fixed set and out-of-range fields', () => {
  const { a } = setup()
  const { write } = reserve(a, 'x', [10], 10)
  const frame = (entry: unknown, run: Record<string, unknown> = {}): unknown =>
    ({ type: 'writes', runs: [{ replica: write.replica, author: write.author, prev: write.prev, writes: [entry], sig: write.sig, ...run }], commits: [] })
  const bad: unknown[] = [
    frame([write.stamp, { kind: 'eval', code: 'process.exit()' }]),
    frame([write.stamp, { ...write.op, alternatives: [] }]),
    frame([write.stamp, { ...write.op, alternatives: Array(17).fill(at(9)) }]),
    frame([write.stamp, { ...write.op, title: 'x'.repeat(201) }]),
    frame([write.stamp, { ...write.op, extra: 1 }]),
    frame([-1, write.op]),
    frame([write.stamp, write.op], { replica: 'not-a-replica' }),
    frame([write.stamp, write.op], { sig: 'not a signature' }),
    frame([write.stamp, write.op], { prev: 'short' }),
    frame([write.stamp, write.op, 'not a signature'])
  ]
  for (const value of bad) assert.equal(Frame.safeParse(value).success, false, JSON.stringify(value).slice(0, 160))
  assert.equal(Frame.safeParse(frame([write.stamp, write.op])).success, true)
})

test('a stable database whose rows are not rows is refused by its schema', () => {
  const { p } = setup()
  reserve(p, 'x', [10], 10)
  p.truncate(p.csn)
  const snapshot = p.stableSnapshot()
  assert.equal(Snapshot.safeParse(snapshot).success, true)
  const lies: unknown[] = [
    { ...snapshot, db: { ...snapshot.db, events: { e: { title: 'no times' } } } },
    { ...snapshot, db: { ...snapshot.db, replicas: { R: { member: 42 } } } },
    { ...snapshot, db: { ...snapshot.db, extra: {} } },
    { ...snapshot, csn: 0 }
  ]
  for (const lie of lies) assert.equal(Snapshot.safeParse(lie).success, false)
})
