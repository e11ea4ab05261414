// CalDAV between two peers: an event PUT through A's CalDAV is read through B's after sync; two
// clients booking the same slot on A and B while apart converge, and the loser's client reads its
// event as STATUS:TENTATIVE, listed as changed by sync-collection — never silently lost. With a real
// client (vdirsyncer, a folder synced with B): a move and a booking made in the folder while A took
// those slots come back from the next sync as they ended — the move undone, the booking TENTATIVE.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startInProcess, rawRequest, callApi, type RawResponse } from '../support/in-process.ts'
import { eventually } from '../support/peer-process.ts'
import { makeTempDir } from '../support/cleanup.ts'
import { icsEvent, Vdirsyncer, vdirsyncerInstalled } from '../support/caldav.ts'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunningTidepool } from '../../p2p/cli.ts'

let a: RunningTidepool
let b: RunningTidepool
let calendarId: string

before(async () => {
  a = await startInProcess()
  b = await startInProcess(['--bootstrap', a.ready.addrs[0] as string])
  const created = await callApi(a, '/api/calendars', { name: 'Shared' })
  calendarId = created.body.id
  assert.equal((await callApi(b, '/api/calendars/join', { invite: created.body.invite })).status, 200)
})
after(async () => { await Promise.all([a, b].map(async p => await p?.stop())) })

async function dav (peer: RunningTidepool, method: string, path: string, body?: string): Promise<RawResponse> {
  const type: Record<string, string> = body === undefined ? {} : { 'content-type': body.startsWith('BEGIN:') ? 'text/calendar' : 'application/xml' }
  return await rawRequest(peer.api.url + path, { method, body, headers: { authorization: 'Basic ' + Buffer.from(`me:${peer.token}`).toString('base64'), ...type } })
}

function ics (uid: string, start: string, summary: string): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`, 'DURATION:PT1H', `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n')
}

const calendar = (): string => `/dav/calendars/${calendarId}/`
const syncReport = (token: string): string =>
  `<d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/><c:calendar-data/></d:prop></d:sync-collection>`
const tokenOf = (body: string): string => /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(body)?.[1] ?? ''
const sync = async (): Promise<void> => { await callApi(a, `/api/calendars/${calendarId}/sync`, {}) }

test('a PUT through A\'s CalDAV is read through B\'s after sync', async () => {
  assert.equal((await dav(a, 'PUT', `${calendar()}kickoff.ics`, ics('kickoff@client-a', '20340301T090000Z', 'Kickoff'))).status, 201)
  await sync()
  const seen = await eventually('B serves the event', async () => await dav(b, 'REPORT', calendar(), syncReport('')), r => r.body.includes('SUMMARY:Kickoff'))
  assert.equal(seen.status, 207)
  assert.match(seen.body, /DTSTART:20340301T090000Z/)
})

test('the same slot booked on A and on B while apart: both converge, the loser reads TENTATIVE on its next sync', async () => {
  const before = await dav(b, 'REPORT', calendar(), syncReport(''))
  await callApi(a, '/api/network', { online: false })
  await callApi(b, '/api/network', { online: false })
  assert.equal((await dav(a, 'PUT', `${calendar()}a.ics`, ics('slot@client-a', '20340302T090000Z', 'A books'))).status, 201)
  assert.equal((await dav(b, 'PUT', `${calendar()}b.ics`, ics('slot@client-b', '20340302T090000Z', 'B books'))).status, 201)
  await callApi(a, '/api/network', { online: true })
  await callApi(b, '/api/network', { online: true })
  const statuses = async (peer: RunningTidepool): Promise<string> => {
    const events = (await callApi(peer, `/api/calendars/${calendarId}`)).body.events as Array<{ title: string, status: string }>
    return events.filter(e => e.title.endsWith('books')).map(e => `${e.title}:${e.status}`).sort().join(', ')
  }
  const settled = await eventually('A and B agree on both bookings, committed', async () => {
    await callApi(b, `/api/calendars/${calendarId}/sync`, {})
    return [await statuses(a), await statuses(b)]
  }, ([x, y]) => x === y && x !== undefined && !x.includes('tentative') && x.split(', ').length === 2, 60_000)
  assert.match(settled[0] ?? '', /conflict/)
  // Whichever lost, B's client hears of both events, the conflict as STATUS:TENTATIVE.
  const delta = await dav(b, 'REPORT', calendar(), syncReport(tokenOf(before.body)))
  assert.equal(delta.status, 207)
  assert.match(delta.body, /SUMMARY:A books/)
  assert.match(delta.body, /SUMMARY:B books/)
  assert.match(delta.body, /STATUS:TENTATIVE/)
  assert.match(delta.body, /STATUS:CONFIRMED/)
})

test('vdirsyncer on B: a move and a booking made in its folder while A took those slots come back as they ended', async t => {
  if (!vdirsyncerInstalled) { t.skip('skipped: vdirsyncer is missing (apt-get install vdirsyncer)'); return }
  const folder = await Vdirsyncer.pair(await makeTempDir('tidepool-vdirsyncer-b-'), b, calendarId)
  await writeFile(join(folder.events, 'standup.ics'), icsEvent('standup@folder', '20340305T090000Z', 'Standup'))
  await folder.run('sync')
  // A is the primary: once the booking reached it, it is committed and B's folder reads it CONFIRMED.
  await eventually('the standup committed, in B\'s folder', async () => {
    await callApi(b, `/api/calendars/${calendarId}/sync`, {})
    await folder.run('sync')
    return (await folder.files()).get('standup.ics') ?? ''
  }, text => text.includes('STATUS:CONFIRMED'), 60_000)

  await callApi(a, '/api/network', { online: false })
  await callApi(b, '/api/network', { online: false })
  // On A (committed at once, A being the primary): 10:00 and 11:00 taken.
  assert.equal((await dav(a, 'PUT', `${calendar()}ten.ics`, ics('ten@client-a', '20340305T100000Z', 'A at ten'))).status, 201)
  assert.equal((await dav(a, 'PUT', `${calendar()}eleven.ics`, ics('eleven@client-a', '20340305T110000Z', 'A at eleven'))).status, 201)
  // In B's folder meanwhile: the standup moved to 10:00, a new booking at 11:00 — free as far as B knows.
  await writeFile(join(folder.events, 'standup.ics'), icsEvent('standup@folder', '20340305T100000Z', 'Standup'))
  await writeFile(join(folder.events, 'review.ics'), icsEvent('review@folder', '20340305T110000Z', 'Review'))
  await folder.run('sync')
  await callApi(a, '/api/network', { online: true })
  await callApi(b, '/api/network', { online: true })
  await eventually('B has every write committed', async () => {
    await callApi(b, `/api/calendars/${calendarId}/sync`, {})
    return (await callApi(b, `/api/calendars/${calendarId}`)).body.events as Array<{ title: string, status: string }>
  }, events => events.some(e => e.title === 'A at eleven') && events.every(e => e.status !== 'tentative'), 60_000)

  await folder.run('sync')
  const files = await folder.files()
  const unfold = (text: string): string => text.replace(/\r?\n[ \t]/g, '')
  const standup = unfold(files.get('standup.ics') ?? '')
  assert.match(standup, /DTSTART:20340305T090000Z/, 'the move lost to A\'s booking: the folder has the standup back at 9:00')
  assert.match(standup, /DESCRIPTION:Tidepool: after syncing\\, "moved to 2034-03-05T10:00:00.000Z" became "slot taken"/, 'and says why')
  const review = files.get('review.ics') ?? ''
  assert.match(review, /STATUS:TENTATIVE/, 'the booking lost to A\'s: a conflict, kept and marked')
  assert.match(review, /DESCRIPTION:Tidepool: after syncing/)
  assert.ok([...files.values()].some(text => text.includes('SUMMARY:A at ten') && text.includes('STATUS:CONFIRMED')))
})
