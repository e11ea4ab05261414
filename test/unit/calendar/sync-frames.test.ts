// Cutting a batch into frames keeps the prefix property: every prefix of the frames applies cleanly,
// so a sync cut off anywhere leaves a valid log, and all of them give the sender's state.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isDeepStrictEqual } from 'node:util'
import { batchOf, framesOf, SnapshotAssembler } from '../../../p2p/calendar/sync/chunks.ts'
import { WireError } from '../../../p2p/wire/index.ts'
import { decodeFrame, encodeFrame } from '../../../p2p/calendar/sync/codec.ts'
import type { Frame } from '../../../p2p/calendar/sync/protocol.ts'
import { EMPTY_SUMMARY } from '../../../p2p/calendar/sync/session.ts'
import { Replica } from '../../../p2p/calendar/bayou/replica.ts'
import { formatInvite, parseInvite, secretHash, newSecret } from '../../../p2p/calendar/invite.ts'
import { CalendarError } from '../../../p2p/calendar/errors.ts'
import { CALENDAR, createCalendar, join, newSigner, reserve, sharedState, sync } from './harness.ts'

/** A frame as the receiver gets it: deflated, inflated, validated. */
const wire = (frame: Frame): Frame => decodeFrame(encodeFrame(frame)).frame

/** Anti-entropy as the service runs it: frame by frame, so a receiver holds a signature where each frame's runs ended. */
function syncFramed (from: Replica, to: Replica, targetBytes = 2000): void {
  for (const frame of framesOf(from.batchFor(to.summary()), targetBytes)) {
    const parsed = wire(frame)
    if (parsed.type === 'writes') to.receive(batchOf(parsed, CALENDAR))
  }
}

function busyCalendar (): { p: Replica, a: Replica } {
  const p = createCalendar(1)
  const a = join(p, 2)
  for (let i = 0; i < 60; i++) reserve(p, `p${i}`, [i % 24, (i + 1) % 24], 10 + i)
  syncFramed(p, a)
  for (let i = 0; i < 40; i++) reserve(a, `a${i}`, [i % 24], 100 + i) // tentative at a
  syncFramed(a, p) // committed at p, in a's order
  for (let i = 0; i < 10; i++) reserve(a, `late${i}`, [i], 200 + i) // still tentative
  return { p, a }
}

test('every prefix of the frames applies, and the whole gives the same state as one batch', () => {
  const { a } = busyCalendar()
  const batch = a.batchFor(EMPTY_SUMMARY)
  const frames = [...framesOf(batch, 2000)] // small frames: many cut points
  assert.ok(frames.length > 6, `${frames.length} frames`)
  for (let cut = 0; cut <= frames.length; cut++) {
    const r = Replica.joining({ calendar: CALENDAR, id: '<9,R>', signer: newSigner() })
    for (const frame of frames.slice(0, cut)) {
      const parsed = wire(frame)
      if (parsed.type === 'writes') r.receive(batchOf(parsed, CALENDAR))
    }
    if (cut === frames.length) assert.equal(sharedState(r), sharedState(a))
  }
})

test('frames respect the size target and carry every write and notice once, notices after their writes', () => {
  const { a } = busyCalendar()
  const batch = a.batchFor(EMPTY_SUMMARY)
  const frames = [...framesOf(batch, 3000)]
  const seen = new Set<string>()
  let writes = 0
  let commits = 0
  for (const frame of frames) {
    assert.equal(frame.type, 'writes')
    if (frame.type !== 'writes') continue
    assert.ok(JSON.stringify(frame).length < 3000 + 1000, 'about the target size')
    assert.deepEqual(wire(frame), frame, 'the same after the codec')
    const received = batchOf(frame, CALENDAR)
    for (const w of received.writes) seen.add(`${w.stamp}@${w.replica}`)
    for (const n of received.commits) {
      const id = `${n.stamp}@${n.replica}`
      assert.ok(seen.has(id) || !batch.writes.some(w => `${w.stamp}@${w.replica}` === id), `notice ${n.csn} after its write`)
    }
    writes += received.writes.length
    commits += received.commits.length
  }
  assert.equal(writes, batch.writes.length)
  assert.equal(commits, batch.commits.length)
})

test('a stable database goes first, in parts under the frame size, and is reassembled whole', () => {
  const { p, a } = busyCalendar()
  sync(a, p)
  p.truncate(p.csn)
  const frames = [...framesOf(p.batchFor(EMPTY_SUMMARY), 2000)]
  const header = frames.findIndex(f => f.type === 'snapshot')
  assert.ok(header > 3, 'several parts before the header')
  assert.ok(frames.slice(0, header).every(f => f.type === 'snapshot-part' && JSON.stringify(f).length < 4000))
  assert.ok(frames.slice(header + 1).every(f => f.type === 'writes'))
  const r = Replica.joining({ calendar: CALENDAR, id: '<9,R>', signer: newSigner() })
  const assembler = new SnapshotAssembler()
  for (const frame of frames) {
    const parsed = wire(frame)
    const data = parsed.type === 'end' ? undefined : assembler.take(parsed, 0)
    if (data !== undefined) r.receive(batchOf(data, CALENDAR))
  }
  assert.ok(isDeepStrictEqual(r.database.snapshot(), p.database.snapshot()), 'same database, slot index rebuilt too')
  assert.equal(r.csn, p.csn)
})

test('a stable database with a lying row is refused when its header arrives', () => {
  const { p } = busyCalendar()
  p.truncate(p.csn)
  const assembler = new SnapshotAssembler()
  const frames = framesOf(p.batchFor(EMPTY_SUMMARY))
  for (const frame of frames) {
    if (frame.type === 'snapshot-part' && frame.table === 'events') {
      const [key] = Object.keys(frame.rows)
      assembler.take({ ...frame, rows: { ...frame.rows, [key as string]: { title: 'no times' } } }, 0)
    } else if (frame.type === 'snapshot-part') assembler.take(frame, 0)
    else if (frame.type === 'snapshot') assert.throws(() => assembler.take(frame, 0), (err: unknown) => err instanceof WireError && err.code === 'invalid')
  }
})

test('invites: round trip, and damaged ones are refused as bad-invite', () => {
  const secret = newSecret()
  const invite = { v: 1 as const, calendar: CALENDAR, secret, peers: [{ id: newSigner().author, addrs: ['/ip4/127.0.0.1/tcp/4001'] }] }
  assert.deepEqual(parseInvite(formatInvite(invite)), invite)
  assert.match(secretHash(secret), /^[0-9a-f]{64}$/)
  const body = formatInvite(invite).slice('tidepool-calendar:'.length)
  for (const bad of ['', 'tidepool-calendar:', 'tidepool-calendar:!!!', `tidepool-calendar:${body.slice(0, -4)}`, `other:${body}`, 'tidepool-calendar:' + 'A'.repeat(5000),
    'tidepool-calendar:' + Buffer.from(JSON.stringify({ ...invite, peers: [] })).toString('base64url')]) {
    assert.throws(() => parseInvite(bad), (err: unknown) => err instanceof CalendarError && err.code === 'bad-invite', bad.slice(0, 30))
  }
})
