// The calendar between real peers on 127.0.0.1: invites, the lecture's example over the wire,
// automatic anti-entropy after a write, and refusal of non-members.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { startPeerProcess, eventually, type PeerProcess } from '../support/peer-process.ts'

const NETWORK = 'test-calendar'
let a: PeerProcess
let b: PeerProcess
let c: PeerProcess
let calendarId: string
let invite: string

before(async () => {
  a = await startPeerProcess({ network: NETWORK })
  const joiner = async (): Promise<PeerProcess> => await startPeerProcess({ network: NETWORK, args: ['--bootstrap', a.ready.addrs[0]!] })
  ;[b, c] = await Promise.all([joiner(), joiner()])
})
after(async () => { await Promise.all([a, b, c].map(async p => await p?.stop())) })

const view = async (p: PeerProcess): Promise<any> => (await p.api(`/api/calendars/${calendarId}`)).body
const titles = (v: any): Record<string, string> => Object.fromEntries(v.events.map((e: any) => [e.title, `${e.start.slice(11, 16)} ${e.status}`]))

test('create a calendar; a peer with the invite joins and receives it', async () => {
  const created = await a.api('/api/calendars', { body: { name: 'Room 32-G882' } })
  assert.equal(created.status, 200, JSON.stringify(created.body))
  calendarId = created.body.id
  invite = created.body.invite
  assert.match(invite, /^tidepool-calendar:/)
  const joined = await b.api('/api/calendars/join', { body: { invite } })
  assert.equal(joined.status, 200, JSON.stringify(joined.body))
  assert.equal(joined.body.id, calendarId)
  const seen = await view(b)
  assert.equal(seen.name, 'Room 32-G882')
  assert.equal(seen.replica.startsWith('<'), true, 'a <Tz,X> replica id')
  assert.deepEqual(seen.members.map((m: any) => m.peerId).sort(), [a.ready.peerId, b.ready.peerId].sort())
  const list = await b.api('/api/calendars')
  assert.deepEqual(list.body.map((cal: any) => cal.id), [calendarId])
})

test('a peer without a valid invite is refused, with the reason', async () => {
  const tampered = 'tidepool-calendar:' + Buffer.from(JSON.stringify({
    ...JSON.parse(Buffer.from(invite.slice('tidepool-calendar:'.length), 'base64url').toString()),
    secret: 'A'.repeat(43)
  })).toString('base64url')
  const refused = await c.api('/api/calendars/join', { body: { invite: tampered } })
  assert.equal(refused.status, 403, JSON.stringify(refused.body))
  assert.equal(refused.body.error.code, 'refused')
  assert.match(refused.body.error.message, /bad-invite/)
  const garbage = await c.api('/api/calendars/join', { body: { invite: 'hello' } })
  assert.equal(garbage.status, 400)
  assert.equal((await c.api(`/api/calendars/${calendarId}`)).status, 404)
})

test('the lecture over the wire: each sees its own meeting at 10:00, then staff 10:00 and hiring 11:00, committed', async () => {
  await a.api('/api/network', { body: { online: false } })
  const staff = await a.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'reserve', title: 'staff', durationMinutes: 60, alternatives: ['2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z'] } })
  assert.equal(staff.status, 200, JSON.stringify(staff.body))
  assert.deepEqual(staff.body.outcome, { ok: true, detail: 'booked 2026-11-23T10:00:00.000Z' })
  await new Promise(resolve => setTimeout(resolve, 20)) // B's write gets the later stamp
  const hiring = await b.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'reserve', title: 'hiring', durationMinutes: 60, alternatives: ['2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z'] } })
  assert.equal(hiring.status, 200)
  assert.ok(hiring.body.stamp > staff.body.stamp)
  assert.deepEqual(titles(await view(a)), { staff: '10:00 committed' }, 'A is the primary: its own write commits at once')
  assert.deepEqual(titles(await view(b)), { hiring: '10:00 tentative' })

  await a.api('/api/network', { body: { online: true } })
  await b.api('/api/peers/dial', { body: { addr: a.ready.addrs[0] } })
  const synced = await b.api(`/api/calendars/${calendarId}/sync`, { body: { peerId: a.ready.peerId } })
  assert.equal(synced.status, 200, JSON.stringify(synced.body))
  assert.equal(synced.body.peers[0].ok, true, JSON.stringify(synced.body))
  for (const p of [a, b]) assert.deepEqual(titles(await view(p)), { staff: '10:00 committed', hiring: '11:00 committed' })
  const bView = await view(b)
  assert.equal(bView.highestCsn, (await view(a)).highestCsn)
  assert.ok(bView.writes.every((w: any) => w.csn !== null))
})

test('a write is pushed to connected members by itself, and comes back committed', async () => {
  const moved = await b.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'reserve', title: 'retro', durationMinutes: 30, alternatives: ['2026-11-23T14:00:00Z'] } })
  assert.equal(moved.status, 200)
  await eventually('A has the write', async () => titles(await view(a)), t => t.retro === '14:00 committed')
  await eventually('B sees it committed', async () => titles(await view(b)), t => t.retro === '14:00 committed')
})

test('members that meet again sync by themselves (on identify), with no sync request', async () => {
  await b.api('/api/network', { body: { online: false } })
  const offline = await b.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'reserve', title: 'planned offline', durationMinutes: 30, alternatives: ['2026-11-24T09:00:00Z'] } })
  assert.equal(offline.status, 200)
  assert.equal(titles(await view(a))['planned offline'], undefined)
  await b.api('/api/network', { body: { online: true } })
  await a.api('/api/peers/dial', { body: { addr: b.ready.addrs[0] } })
  await eventually('A has it, committed', async () => titles(await view(a)), t => t['planned offline'] === '09:00 committed')
  await eventually('B sees the commit', async () => titles(await view(b)), t => t['planned offline'] === '09:00 committed')
  const member = (await view(a)).members.find((m: any) => m.peerId === b.ready.peerId)
  assert.equal(member.online, true)
  assert.notEqual(member.lastSync, null)
})

test('bad write requests are refused with the reason', async () => {
  const cases: Array<[unknown, number]> = [
    [{ op: 'reserve', title: 'x', durationMinutes: 60, alternatives: [] }, 400],
    [{ op: 'reserve', title: 'x', durationMinutes: 60, alternatives: ['tomorrow'] }, 400],
    [{ op: 'reserve', title: '', durationMinutes: 60, alternatives: ['2026-11-23T10:00:00Z'] }, 400],
    [{ op: 'eval', code: '1' }, 400],
    [{ op: 'cancel' }, 400]
  ]
  for (const [body, status] of cases) {
    const res = await a.api(`/api/calendars/${calendarId}/writes`, { body })
    assert.equal(res.status, status, JSON.stringify(body))
    assert.ok(res.body.error.message.length > 0)
  }
  assert.equal((await a.api('/api/calendars/0000000000000000/writes', { body: { op: 'cancel', eventId: 'x@R' } })).status, 404)
})

test('.ics: import keeps the events and times; the export imports to the same events elsewhere', async () => {
  const raw = async (path: string, init: { method?: string, body?: string } = {}): Promise<Response> => await fetch(a.ready.api + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'text/calendar' },
    body: init.body
  })
  const target = (await a.api('/api/calendars', { body: { name: 'imported' } })).body.id
  const imported = await raw(`/api/calendars/${target}/ics`, { method: 'POST', body: readFileSync('/work/shared/data/ics/minimal.ics', 'utf8') })
  assert.equal(imported.status, 200)
  assert.deepEqual(await imported.json(), { imported: 1, updated: 0, conflicts: 0, warnings: [] })
  const events = (await a.api(`/api/calendars/${target}`)).body.events
  assert.deepEqual(events.map((e: any) => [e.title, e.start, e.end, e.status]), [['Really long event name thing', '2012-06-30T13:00:00.000Z', '2012-06-30T14:00:00.000Z', 'committed']])

  const exported = await raw(`/api/calendars/${target}/ics`)
  assert.match(exported.headers.get('content-type') ?? '', /^text\/calendar/)
  const again = (await a.api('/api/calendars', { body: { name: 'round trip' } })).body.id
  assert.equal((await raw(`/api/calendars/${again}/ics`, { method: 'POST', body: await exported.text() })).status, 200)
  const reimported = (await a.api(`/api/calendars/${again}`)).body.events
  assert.deepEqual(reimported.map((e: any) => [e.title, e.start, e.end, e.room]), events.map((e: any) => [e.title, e.start, e.end, e.room]))

  const backwards = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:ok', 'DTSTART:20260101T100000Z', 'SUMMARY:fine', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:bad', 'DTSTART:20260101T100000Z', 'DTEND:20260101T090000Z', 'SUMMARY:ends before it starts', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n')
  for (const body of ['BEGIN:VCARD', backwards]) {
    const refused = await raw(`/api/calendars/${target}/ics`, { method: 'POST', body })
    assert.equal(refused.status, 400)
    assert.equal(((await refused.json()) as any).error.code, 'bad-ics')
  }
  assert.equal((await a.api(`/api/calendars/${target}`)).body.events.length, 1, 'a refused import adds nothing')
})

test('after log truncation, a joining peer receives the stable database (in parts) and then the log', async () => {
  const created = await a.api('/api/calendars', { body: { name: 'busy' } })
  const id: string = created.body.id
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN']
  for (let i = 0; i < 2100; i++) {
    const start = new Date(Date.UTC(2027, 0, 1) + i * 3_600_000).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')
    lines.push('BEGIN:VEVENT', `UID:${i}@test`, `DTSTART:${start}`, 'DURATION:PT30M', `SUMMARY:event ${i}`, 'END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  const imported = await fetch(`${a.ready.api}/api/calendars/${id}/ics`, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'text/calendar' }, body: lines.join('\r\n') })
  assert.deepEqual(await imported.json(), { imported: 2100, updated: 0, conflicts: 0, warnings: [] })
  const before = (await a.api(`/api/calendars/${id}`)).body
  assert.ok(before.omittedCsn > 0, `log truncated (OSN ${before.omittedCsn})`)

  const joined = await c.api('/api/calendars/join', { body: { invite: created.body.invite } })
  assert.equal(joined.status, 200, JSON.stringify(joined.body))
  const [va, vc] = await eventually('C has the whole calendar', async () => [(await a.api(`/api/calendars/${id}`)).body, (await c.api(`/api/calendars/${id}`)).body],
    ([x, y]) => y.events.length === 2100 && y.highestCsn === x.highestCsn)
  assert.deepEqual(vc.events, va.events)
  assert.equal(vc.omittedCsn > 0, true, 'C started from the stable database')
  const synced = await c.api(`/api/calendars/${id}/sync`, { body: { peerId: a.ready.peerId } })
  assert.equal(synced.body.peers[0].ok, true, JSON.stringify(synced.body))
})

test('primary handoff: A hands the role to B by a committed write; B commits from then on', async () => {
  const before = await view(a)
  const bReplica = before.members.find((m: any) => m.peerId === b.ready.peerId).replica
  const handoff = await a.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'handoff', to: bReplica } })
  assert.equal(handoff.status, 200)
  assert.deepEqual(handoff.body.outcome, { ok: true, detail: `primary is now ${bReplica}` })
  await eventually('B knows it is the primary', async () => (await view(b)).primary, p => p === bReplica)
  await a.api('/api/network', { body: { online: false } })
  const late = await a.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'reserve', title: 'after handoff', durationMinutes: 30, alternatives: ['2026-11-25T09:00:00Z'] } })
  assert.equal(late.body.outcome.ok, true)
  assert.equal(titles(await view(a))['after handoff'], '09:00 tentative', 'A no longer commits its own writes')
  await a.api('/api/network', { body: { online: true } })
  await a.api('/api/peers/dial', { body: { addr: b.ready.addrs[0] } })
  await eventually('B committed it and A sees that', async () => titles(await view(a)), t => t['after handoff'] === '09:00 committed')
  assert.equal((await b.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'handoff', to: 'R' } })).body.outcome.ok, true)
})

test('role changes are checked: only the primary hands off, to an active member; the primary cannot retire', async () => {
  const bReplica = (await view(a)).members.find((m: any) => m.peerId === b.ready.peerId).replica
  await eventually('A is the primary again', async () => (await view(a)).primary, p => p === 'R')
  const writes = `/api/calendars/${calendarId}/writes`
  const refusals: Array<[PeerProcess, unknown, number, string]> = [
    [b, { op: 'handoff', to: 'R' }, 409, 'not-primary'],
    [a, { op: 'handoff', to: '<1,R>' }, 400, 'bad-handoff'],
    [a, { op: 'handoff', to: 'R' }, 400, 'bad-handoff'],
    [a, { op: 'retire' }, 409, 'primary-must-hand-off']
  ]
  const logLength = (await view(a)).totalWrites
  for (const [peer, body, status, code] of refusals) {
    const res = await peer.api(writes, { body })
    assert.equal(res.status, status, JSON.stringify(body))
    assert.equal(res.body.error.code, code)
  }
  assert.equal((await view(a)).totalWrites, logLength, 'a refused role change writes nothing')

  const retired = await b.api(writes, { body: { op: 'retire' } })
  assert.equal(retired.status, 200, JSON.stringify(retired.body))
  assert.deepEqual(retired.body.outcome, { ok: true, detail: `replica ${bReplica} retired` })
  const after = await b.api(writes, { body: { op: 'reserve', title: 'too late', durationMinutes: 30, alternatives: ['2026-11-26T09:00:00Z'] } })
  assert.equal(after.status, 403)
  assert.equal(after.body.error.code, 'not-member')
  await eventually('A sees B retired, dropped from its version vector', async () => await view(a),
    v => v.members.find((m: any) => m.replica === bReplica)?.retired === true && !(bReplica in v.versionVector))
  // Retired, B is no longer a member: A's sync protocol refuses it, and says why.
  const refused = await b.api(`/api/calendars/${calendarId}/sync`, { body: { peerId: a.ready.peerId } })
  assert.equal(refused.body.peers[0].ok, false)
  assert.match(refused.body.peers[0].error, /not-member/)
})
