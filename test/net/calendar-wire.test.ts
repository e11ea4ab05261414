// Garbage on the calendar sync protocol, from real peers on 127.0.0.1: a non-member, a peer on the old
// version, malformed, oversized and inflating frames, forged, unsigned, unlinked and replayed writes.
// Each is refused, changes nothing, and the peer keeps serving.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import * as varint from 'uint8-varint'
import { deflateRawSync } from 'node:zlib'
import { callApi, startInProcess } from '../support/in-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'
import { loadOrCreateIdentity } from '../../p2p/node/identity.ts'
import { messageChannel, type MessageChannel } from '../../p2p/wire/index.ts'
import { calendarSyncProtocol, Answer, type Frame } from '../../p2p/calendar/sync/protocol.ts'
import { decodeFrame, encodeFrame } from '../../p2p/calendar/sync/codec.ts'
import { framesOf } from '../../p2p/calendar/sync/chunks.ts'
import { signerFromRawKey } from '../../p2p/calendar/bayou/signing.ts'
import { linkCommit, signWrite, type CommitNotice, type Write } from '../../p2p/calendar/bayou/write.ts'
import { CHAIN_START } from '../../p2p/calendar/bayou/chain.ts'

const NETWORK = 'test-calendar-wire'
const PROTOCOL = calendarSyncProtocol(NETWORK)
let a: RunningTidepool // creator and primary
let member: RunningTidepool
let stranger: RunningTidepool
let calendarId: string

async function open (from: RunningTidepool, protocol = PROTOCOL): Promise<MessageChannel> {
  const stream = await from.peer.node.dialProtocol(multiaddr(a.ready.addrs[0] as string), protocol)
  return messageChannel(stream, { maxMessageBytes: 16 * 1024 * 1024, timeoutMs: 5000 })
}

/** A's calendar as the API shows it, minus what changes by itself (online flags, last sync). */
async function state (): Promise<string> {
  const v = (await callApi(a, `/api/calendars/${calendarId}`)).body
  return JSON.stringify([v.events, v.writes, v.versionVector, v.highestCsn])
}

/** "Send me nothing": a summary past everything A has. */
const EVERYTHING = { vv: { R: Number.MAX_SAFE_INTEGER }, csn: Number.MAX_SAFE_INTEGER }

/** Opens a member session and reads A's whole first turn; the channel is then ready for our writes. */
async function memberSession (summary: unknown = EVERYTHING): Promise<{ channel: MessageChannel, frames: Frame[] }> {
  const channel = await open(member)
  await channel.write({ type: 'hello', calendar: calendarId, summary })
  assert.equal((await channel.read(Answer)).type, 'accepted')
  const frames: Frame[] = []
  for (;;) {
    const frame = decodeFrame(await channel.readBytes()).frame
    if (frame.type === 'end') return { channel, frames }
    frames.push(frame)
  }
}

/** Any value as a frame on the wire: its JSON deflated (valid or not). */
const deflated = (value: unknown): Uint8Array => deflateRawSync(JSON.stringify(value))

/** Writes and notices as the one frame a sender would make of them. */
const frameOf = (writes: Write[], commits: CommitNotice[] = []): Frame => [...framesOf({ writes, commits })][0] as Frame

/** Sends one frame in our turn; the session must end in an abort, and A's calendar must not change. */
async function refusedFrame (frame: unknown): Promise<void> {
  const before = await state()
  const { channel } = await memberSession()
  await channel.writeBytes(frame instanceof Uint8Array ? frame : deflated(frame))
  await channel.writeBytes(deflated({ type: 'end', summary: { vv: {}, csn: 0 } }))
  await assert.rejects(async () => { for (;;) decodeFrame(await channel.readBytes()) })
  assert.equal(await state(), before)
}

before(async () => {
  a = await startInProcess(['--network', NETWORK])
  member = await startInProcess(['--network', NETWORK, '--bootstrap', a.ready.addrs[0]!])
  stranger = await startInProcess(['--network', NETWORK, '--bootstrap', a.ready.addrs[0]!])
  const created = await callApi(a, '/api/calendars', { name: 'wire' })
  calendarId = created.body.id
  assert.equal((await callApi(member, '/api/calendars/join', { invite: created.body.invite })).status, 200)
  await callApi(a, `/api/calendars/${calendarId}/writes`, { op: 'reserve', title: 'real', durationMinutes: 60, alternatives: ['2026-11-23T10:00:00Z'] })
})
after(async () => { await Promise.all([a, member, stranger].map(async p => await p?.stop())) })

test('a non-member is refused, told why, and sent nothing', async () => {
  const channel = await open(stranger)
  await channel.write({ type: 'hello', calendar: calendarId, summary: { vv: { R: 0 }, csn: 0 } })
  const answer = await channel.read(Answer)
  assert.deepEqual(answer, { type: 'refused', code: 'not-member', reason: 'you are not a member of this calendar: ask a member for an invite' })
  const unknown = await open(stranger)
  await unknown.write({ type: 'hello', calendar: 'ffffffffffffffff', summary: { vv: { R: 0 }, csn: 0 } })
  assert.deepEqual(await unknown.read(Answer), { type: 'refused', code: 'unknown-calendar', reason: 'this peer holds no such calendar' })
})

test('a peer on a previous protocol version (2.0.0, 3.0.0) is refused, told to update', async () => {
  for (const version of ['2.0.0', '3.0.0']) {
    const channel = await open(stranger, calendarSyncProtocol(NETWORK, version))
    await channel.write({ type: 'hello', calendar: calendarId, summary: { vv: { R: 0 }, csn: 0 } })
    const answer = await channel.read(Answer)
    assert.equal(answer.type, 'refused')
    assert.equal(answer.type === 'refused' ? answer.reason : '', `this peer syncs calendars with calendar-sync/3.1.0, yours speaks ${version}: update Tidepool to sync with it`)
  }
})

test('malformed, invalid and oversized frames abort the stream; A keeps serving', async () => {
  const before = await state()
  const notJson = await open(stranger)
  await notJson.writeBytes(new TextEncoder().encode('{"type":"hello",'))
  await assert.rejects(notJson.read(Answer))
  const invalid = await open(stranger)
  await invalid.write({ type: 'hello', calendar: calendarId, summary: { vv: 'everything', csn: -1 } })
  await assert.rejects(invalid.read(Answer))
  // A length prefix of 64 MiB: refused before anything is buffered.
  const oversized = await open(stranger)
  await oversized.stream.send(varint.encode(64 * 1024 * 1024))
  await oversized.stream.send(new Uint8Array(1024))
  await assert.rejects(oversized.read(Answer))
  assert.equal(await state(), before)
  // Frames that are not deflated JSON, or inflate past the cap.
  await refusedFrame(new TextEncoder().encode('{"type":"end"}'))
  await refusedFrame(deflateRawSync(Buffer.alloc(5 * 1024 * 1024, 0x20)))
  // Still serving members.
  const synced = await callApi(member, `/api/calendars/${calendarId}/sync`, { peerId: a.ready.peerId })
  assert.equal(synced.body.peers[0].ok, true, JSON.stringify(synced.body))
})

test('forged, altered, unsigned, unlinked and foreign writes from a member are refused and change nothing', async () => {
  const signer = signerFromRawKey((await loadOrCreateIdentity(member.peer.dataDir)).raw)
  const memberView = (await callApi(member, `/api/calendars/${calendarId}`)).body
  const op: Write['op'] = { kind: 'reserve', title: 'ok', durationMinutes: 30, alternatives: [Date.UTC(2026, 10, 23, 15)], room: 'main' }
  // The member has written nothing yet: its chain starts at CHAIN_START.
  const real = signWrite(signer, { calendar: calendarId, replica: memberView.replica, stamp: Date.now() + 60_000, op })
  await refusedFrame(frameOf([{ ...real, op: { ...op, title: 'altered' } }]))
  await refusedFrame(frameOf([{ ...real, sig: undefined }]))
  await refusedFrame(frameOf([{ ...real, prev: 'B'.repeat(43) }]))
  await refusedFrame(frameOf([signWrite(signer, { calendar: calendarId, replica: 'R', stamp: Date.now() + 60_000, op: { kind: 'cancel', eventId: 'x@R' } })]))
  await refusedFrame(frameOf([signWrite(signer, { calendar: 'ffffffffffffffff', replica: memberView.replica, stamp: Date.now() + 60_000, op })]))
  await refusedFrame(frameOf([real], [linkCommit(signer, { calendar: calendarId, csn: 999, replica: real.replica, stamp: real.stamp }, CHAIN_START, true)]))
})

test('the whole log replayed back to A changes nothing', async () => {
  const before = await state()
  const { channel: first, frames } = await memberSession({ vv: { R: 0 }, csn: 0 })
  first.abort(new Error('only wanted the frames'))
  assert.ok(frames.some(f => f.type === 'writes' && f.runs.length > 0))
  const { channel } = await memberSession()
  for (const frame of frames) await channel.writeBytes(encodeFrame(frame))
  await channel.writeBytes(encodeFrame({ type: 'end', summary: EVERYTHING }))
  for (;;) if (decodeFrame(await channel.readBytes()).frame.type === 'end') break
  assert.equal(await state(), before)
})
