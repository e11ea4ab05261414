// kill -9 of a calendar peer while it writes, while it syncs and while it joins: after a restart on the
// same data dir no acknowledged write is lost, nothing is half-applied, and another sync (or the same
// invite again) makes the databases equal.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startPeerProcess, eventually, type PeerProcess } from '../support/peer-process.ts'

const NETWORK = 'test-calendar-crash'
const peers: PeerProcess[] = []
after(async () => { await Promise.all(peers.map(async p => await p.stop())) })

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

function reserve (title: string, i: number): unknown {
  const start = Date.UTC(2026, 11, 1) + i * 3_600_000
  return { op: 'reserve', title, durationMinutes: 30, alternatives: [new Date(start).toISOString()] }
}

test('kill -9 during writes and during sync loses no acknowledged write and converges after restart', async () => {
  const a = await startPeerProcess({ network: NETWORK })
  let b = await startPeerProcess({ network: NETWORK, args: ['--bootstrap', a.ready.addrs[0]!] })
  peers.push(a, b)
  const created = await a.api('/api/calendars', { body: { name: 'crash' } })
  const id: string = created.body.id
  assert.equal((await b.api('/api/calendars/join', { body: { invite: created.body.invite } })).status, 200)
  const view = async (p: PeerProcess): Promise<any> => (await p.api(`/api/calendars/${id}`)).body

  // A, the primary, goes offline and writes a lot; B writes too, and is killed while writing.
  await a.api('/api/network', { body: { online: false } })
  for (let i = 0; i < 250; i++) assert.equal((await a.api(`/api/calendars/${id}/writes`, { body: reserve(`a${i}`, i) })).status, 200)
  const acknowledged: string[] = []
  let writing = true
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const res = await b.api(`/api/calendars/${id}/writes`, { body: reserve(`b${i}`, 1000 + i) }).catch(() => undefined)
      if (res?.status === 200) acknowledged.push(res.body.writeId)
      else break
    }
  })()
  await eventually('B acknowledged some writes', async () => acknowledged.length, n => n >= 40)
  await b.kill()
  writing = false
  await writer
  b = await startPeerProcess({ network: NETWORK, dataDir: b.dataDir })
  peers.push(b)
  const afterWriteCrash = (await view(b)).writes.map((w: any) => w.id)
  for (const writeId of acknowledged) assert.ok(afterWriteCrash.includes(writeId), `acknowledged write ${writeId} survived`)

  // Back online: B pulls A's 250 writes; it is killed mid-sync, at a different moment each round.
  await a.api('/api/network', { body: { online: true } })
  for (const delay of [5, 40, 120]) {
    await b.api('/api/peers/dial', { body: { addr: a.ready.addrs[0] } })
    void b.api(`/api/calendars/${id}/sync`, { body: { peerId: a.ready.peerId } }).catch(() => {})
    await sleep(delay)
    await b.kill()
    b = await startPeerProcess({ network: NETWORK, dataDir: b.dataDir })
    peers.push(b)
    const v = await view(b)
    assert.equal(v.id, id, 'the calendar opens after the crash')
    const ids = v.writes.map((w: any) => w.id)
    for (const writeId of acknowledged) assert.ok(ids.includes(writeId), `acknowledged write ${writeId} survived the crash at ${delay} ms`)
    // Nothing half-applied: every event the log says exists is in the database and vice versa.
    const booked = new Set(v.writes.filter((w: any) => w.op.kind === 'reserve').map((w: any) => w.id))
    assert.deepEqual(new Set(v.events.map((e: any) => e.id)), booked)
  }

  await b.api('/api/peers/dial', { body: { addr: a.ready.addrs[0] } })
  const synced = await b.api(`/api/calendars/${id}/sync`, { body: { peerId: a.ready.peerId } })
  assert.equal(synced.body.peers[0].ok, true, JSON.stringify(synced.body))
  const [va, vb] = await eventually('both committed everything', async () => [await view(a), await view(b)],
    ([x, y]) => x.highestCsn === y.highestCsn && y.writes.every((w: any) => w.csn !== null) && x.events.length === y.events.length)
  assert.deepEqual(vb.events, va.events)
  assert.equal(va.events.length, va.writes.filter((w: any) => w.op.kind === 'reserve').length)
  assert.ok(va.events.length >= 250 + acknowledged.length)
  assert.ok(va.writes.length < 500, 'the whole log is in the view')
  for (const writeId of acknowledged) assert.ok(va.writes.some((w: any) => w.id === writeId), `A has ${writeId}`)
})

/** An .ics file of `count` half-hour events, an hour apart. */
function icsOf (count: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN']
  for (let i = 0; i < count; i++) {
    const start = new Date(Date.UTC(2027, 0, 1) + i * 3_600_000).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')
    lines.push('BEGIN:VEVENT', `UID:${i}@test`, `DTSTART:${start}`, 'DURATION:PT30M', `SUMMARY:event ${i}`, 'END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.join('\r\n')
}

test('kill -9 while joining, before the calendar has arrived: the same invite afterwards still brings all of it', async () => {
  const a = await startPeerProcess({ network: NETWORK })
  peers.push(a)
  const created = await a.api('/api/calendars', { body: { name: 'big' } })
  const id: string = created.body.id
  // Over 2,000 committed writes: A truncates its log, so a joiner receives the stable database, in parts.
  const imported = await fetch(`${a.ready.api}/api/calendars/${id}/ics`, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'text/calendar' }, body: icsOf(2100) })
  assert.equal(imported.status, 200)
  const full = (await a.api(`/api/calendars/${id}`)).body

  let b = await startPeerProcess({ network: NETWORK, args: ['--bootstrap', a.ready.addrs[0]!] })
  peers.push(b)
  // Killed as soon as B lists the calendar, i.e. once admitted and before (or while) the data arrives.
  void b.api('/api/calendars/join', { body: { invite: created.body.invite } }).catch(() => {})
  // Polled back to back (no pause), to catch the moment between admission and the data.
  const deadline = Date.now() + 20_000
  let seen: any[] = []
  while (seen.length === 0 && Date.now() < deadline) seen = (await b.api('/api/calendars')).body
  await b.kill()
  b = await startPeerProcess({ network: NETWORK, dataDir: b.dataDir, args: ['--bootstrap', a.ready.addrs[0]!] })
  peers.push(b)
  const listed = (await b.api('/api/calendars')).body
  // All or nothing on disk: the calendar is stored only together with the first data received.
  assert.ok(listed.length === 0 || listed[0].events === 2100, `half a join on disk: ${JSON.stringify(listed)}`)

  const again = await b.api('/api/calendars/join', { body: { invite: created.body.invite } })
  assert.equal(again.status, 200, JSON.stringify(again.body))
  const vb = await eventually('B has the whole calendar', async () => (await b.api(`/api/calendars/${id}`)).body,
    v => v.events?.length === 2100 && v.highestCsn >= full.highestCsn, 30_000)
  assert.deepEqual(vb.events.map((e: any) => [e.id, e.start]), full.events.map((e: any) => [e.id, e.start]))
  assert.equal(vb.members.filter((m: any) => m.peerId === b.ready.peerId).length, 1, 'admitted once, not twice')
})
