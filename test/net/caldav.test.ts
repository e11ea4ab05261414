// CalDAV on a real peer's API port, spoken by hand: discovery, PUT/GET/DELETE with ETags and their
// preconditions, the reports, sync tokens, MKCALENDAR, and bad input answered with nothing stored.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startInProcess, rawRequest, callApi, type RawResponse } from '../support/in-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

let peer: RunningTidepool
let calendarId: string

before(async () => {
  peer = await startInProcess()
  calendarId = (await callApi(peer, '/api/calendars', { name: 'Team' })).body.id
})
after(async () => { await peer.stop() })

const basic = (password: string): string => 'Basic ' + Buffer.from(`anyone:${password}`).toString('base64')

async function dav (method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const type: Record<string, string> = body === undefined ? {} : { 'content-type': body.startsWith('BEGIN:') ? 'text/calendar; charset=utf-8' : 'application/xml; charset=utf-8' }
  return await rawRequest(peer.api.url + path, { method, body, headers: { authorization: basic(peer.token), ...type, ...headers } })
}

function ics (uid: string, start: string, end: string, summary: string): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`, `DTEND:${end}`, `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n')
}

const PROPS = '<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"><d:prop>' +
  '<d:displayname/><d:resourcetype/><c:supported-calendar-component-set/><cs:getctag/><d:sync-token/><d:getetag/><x:unknown xmlns:x="urn:x"/></d:prop></d:propfind>'

const events = (): string => `/dav/calendars/${calendarId}/`

test('no password or a wrong one → 401 with a Basic challenge; the well-known address redirects', async () => {
  const none = await rawRequest(`${peer.api.url}/dav/`, { method: 'PROPFIND' })
  assert.equal(none.status, 401)
  assert.match(String(none.headers['www-authenticate']), /^Basic /)
  assert.equal((await rawRequest(`${peer.api.url}/dav/`, { method: 'PROPFIND', headers: { authorization: basic('x'.repeat(43)) } })).status, 401)
  const wellKnown = await dav('GET', '/.well-known/caldav')
  assert.equal(wellKnown.status, 301)
  assert.equal(wellKnown.headers.location, '/dav/')
  const badHost = await rawRequest(`${peer.api.url}/dav/`, { method: 'PROPFIND', headers: { authorization: basic(peer.token), host: 'evil.example:80' } })
  assert.equal(badHost.status, 403)
})

test('discovery: principal → home → the calendar with its name, component set, ctag and sync token', async () => {
  const principal = await dav('PROPFIND', '/dav/', '<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:current-user-principal/><c:calendar-home-set/></d:prop></d:propfind>', { depth: '0' })
  assert.equal(principal.status, 207)
  assert.match(principal.body, /<d:current-user-principal><d:href>\/dav\/<\/d:href>/)
  assert.match(principal.body, /<c:calendar-home-set><d:href>\/dav\/calendars\/<\/d:href>/)
  const home = await dav('PROPFIND', '/dav/calendars/', PROPS, { depth: '1' })
  assert.equal(home.status, 207)
  assert.ok(home.body.includes(`<d:href>/dav/calendars/${calendarId}/</d:href>`))
  assert.match(home.body, /<d:displayname>Team<\/d:displayname>/)
  assert.match(home.body, /<c:comp name="VEVENT"\/>/)
  assert.match(home.body, /<cs:getctag>urn:tidepool:sync:/)
  assert.match(home.body, /<x:unknown xmlns:x="urn:x"\/><\/d:prop><d:status>HTTP\/1.1 404 Not Found/)
})

test('PUT creates, GET reads with its ETag, If-None-Match and a stale If-Match get 412, DELETE cancels', async () => {
  const href = `${events()}meeting-1.ics`
  const created = await dav('PUT', href, ics('meeting-1@client', '20300105T100000Z', '20300105T110000Z', 'Planning'), { 'if-none-match': '*' })
  assert.equal(created.status, 201)
  const got = await dav('GET', href)
  assert.equal(got.status, 200)
  assert.match(got.body, /UID:meeting-1@client/)
  assert.match(got.body, /SUMMARY:Planning/)
  assert.match(got.body, /DTSTART:20300105T100000Z/)
  const etag = String(got.headers.etag)
  assert.equal((await dav('PUT', href, ics('meeting-1@client', '20300105T100000Z', '20300105T110000Z', 'Planning'), { 'if-none-match': '*' })).status, 412)
  assert.equal((await dav('PUT', href, ics('meeting-1@client', '20300105T120000Z', '20300105T130000Z', 'Planning'), { 'if-match': '"stale"' })).status, 412)
  assert.equal((await dav('PUT', href, ics('meeting-1@client', '20300105T120000Z', '20300105T133000Z', 'Planning 2'), { 'if-match': etag })).status, 204)
  const moved = await dav('GET', href)
  assert.match(moved.body, /DTSTART:20300105T120000Z/)
  assert.match(moved.body, /DTEND:20300105T133000Z/)
  assert.match(moved.body, /SUMMARY:Planning 2/)
  assert.notEqual(moved.headers.etag, etag)
  assert.equal((await dav('DELETE', href, undefined, { 'if-match': etag })).status, 412)
  assert.equal((await dav('DELETE', href, undefined, { 'if-match': String(moved.headers.etag) })).status, 204)
  assert.equal((await dav('GET', href)).status, 404)
  const view = (await callApi(peer, `/api/calendars/${calendarId}`)).body
  assert.ok(view.writes.some((w: any) => w.op.kind === 'cancel'))
})

test('calendar-query by time range, calendar-multiget, and sync-collection with tokens', async () => {
  await dav('PUT', `${events()}jan.ics`, ics('jan@client', '20310110T090000Z', '20310110T100000Z', 'January'))
  await dav('PUT', `${events()}mar.ics`, ics('mar@client', '20310310T090000Z', '20310310T100000Z', 'March'))
  const query = await dav('REPORT', events(), '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>' +
    '<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20310301T000000Z" end="20310401T000000Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>', { depth: '1' })
  assert.equal(query.status, 207)
  assert.match(query.body, /SUMMARY:March/)
  assert.doesNotMatch(query.body, /SUMMARY:January/)
  const multiget = await dav('REPORT', events(), `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data/></d:prop><d:href>${events()}jan.ics</d:href><d:href>${events()}gone.ics</d:href></c:calendar-multiget>`)
  assert.match(multiget.body, /SUMMARY:January/)
  assert.match(multiget.body, /gone\.ics<\/d:href><d:status>HTTP\/1.1 404/)

  const syncBody = (token: string): string => `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`
  const first = await dav('REPORT', events(), syncBody(''))
  assert.match(first.body, /jan\.ics/)
  const token = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(first.body)?.[1] ?? ''
  assert.notEqual(token, '')
  const unchanged = await dav('REPORT', events(), syncBody(token))
  assert.doesNotMatch(unchanged.body, /<d:response>/)
  await dav('DELETE', `${events()}jan.ics`)
  await dav('PUT', `${events()}apr.ics`, ics('apr@client', '20310410T090000Z', '20310410T100000Z', 'April'))
  const delta = await dav('REPORT', events(), syncBody(token))
  assert.match(delta.body, /apr\.ics<\/d:href><d:propstat>/)
  assert.match(delta.body, /jan\.ics<\/d:href><d:status>HTTP\/1.1 404/)
  assert.doesNotMatch(delta.body, /mar\.ics/)
  const stale = await dav('REPORT', events(), syncBody('urn:tidepool:sync:nope:1'))
  assert.equal(stale.status, 403)
  assert.match(stale.body, /valid-sync-token/)
})

test('MKCALENDAR makes a Tidepool calendar under the client\'s name', async () => {
  const made = await dav('MKCALENDAR', '/dav/calendars/personal/', '<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>Personal</d:displayname></d:prop></d:set></c:mkcalendar>')
  assert.equal(made.status, 201)
  assert.ok((await callApi(peer, '/api/calendars')).body.some((c: any) => c.name === 'Personal'))
  assert.equal((await dav('MKCALENDAR', '/dav/calendars/personal/')).status, 405)
  assert.equal((await dav('PUT', '/dav/calendars/personal/a.ics', ics('a@client', '20300101T100000Z', '20300101T110000Z', 'A'))).status, 201)
  const patched = await dav('PROPPATCH', '/dav/calendars/personal/', '<d:propertyupdate xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:set><d:prop><a:calendar-color>#ff0000</a:calendar-color></d:prop></d:set></d:propertyupdate>')
  assert.equal(patched.status, 207)
  assert.match(patched.body, /<x:calendar-color xmlns:x="http:\/\/apple.com\/ns\/ical\/"\/><\/d:prop><d:status>HTTP\/1.1 403 Forbidden/)
  const listed = await dav('PROPFIND', '/dav/calendars/personal/', PROPS, { depth: '1' })
  assert.match(listed.body, /\/dav\/calendars\/personal\/a\.ics/)
})

test('bad input: malformed XML, non-calendar PUTs, a huge body, a UID from another calendar — nothing stored', async () => {
  const before = (await callApi(peer, `/api/calendars/${calendarId}`)).body.totalWrites
  assert.equal((await dav('PROPFIND', '/dav/', '<d:propfind xmlns:d="DAV:"><d:prop>')).status, 400)
  assert.equal((await dav('PROPFIND', '/dav/', '<!DOCTYPE x [<!ENTITY a "aaaa">]><d:propfind xmlns:d="DAV:"/>')).status, 400)
  assert.equal((await dav('PUT', `${events()}x.ics`, 'hello', { 'content-type': 'text/plain' })).status, 415)
  assert.equal((await dav('PUT', `${events()}x.ics`, 'BEGIN:VCALENDAR\r\nnot ics')).status, 403)
  const todo = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR\r\n'
  assert.equal((await dav('PUT', `${events()}x.ics`, todo)).status, 403)
  const huge = await dav('PUT', `${events()}x.ics`, ics('h@client', '20300101T100000Z', '20300101T110000Z', 'x'.repeat(2 * 1024 * 1024)))
  assert.equal(huge.status, 413)
  const taken = await dav('PUT', `${events()}x.ics`, ics('a@client', '20300101T100000Z', '20300101T110000Z', 'A again'))
  assert.equal(taken.status, 403)
  assert.match(taken.body, /no-uid-conflict/)
  // An event imported from an .ics file keeps its UID: a client cannot take it either.
  const imported = await rawRequest(`${peer.api.url}/api/calendars/${calendarId}/ics`, { method: 'POST', body: ics('imported@file', '20300201T100000Z', '20300201T110000Z', 'Imported'), headers: { authorization: `Bearer ${peer.token}`, 'content-type': 'text/calendar' } })
  assert.equal(imported.status, 200, imported.body)
  const afterImport = (await callApi(peer, `/api/calendars/${calendarId}`)).body.totalWrites
  const importedTaken = await dav('PUT', '/dav/calendars/personal/imported.ics', ics('imported@file', '20300201T100000Z', '20300201T110000Z', 'Again'))
  assert.equal(importedTaken.status, 403)
  assert.match(importedTaken.body, /no-uid-conflict/)
  assert.equal(afterImport, before + 1)
  assert.equal((await callApi(peer, `/api/calendars/${calendarId}`)).body.totalWrites, afterImport)
})

test('bad series: a rule not supported, an occurrence without its series, two UIDs, a UID changed — nothing stored', async () => {
  const before = (await callApi(peer, `/api/calendars/${calendarId}`)).body.totalWrites
  const vevent = (uid: string, ...lines: string[]): string[] => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTART:20300301T100000Z', 'DURATION:PT1H', 'SUMMARY:S', ...lines, 'END:VEVENT']
  const calendar = (...events: string[][]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n')
  const refused = async (body: string, condition: RegExp): Promise<void> => {
    const res = await dav('PUT', `${events()}series.ics`, body)
    assert.equal(res.status, 403, body)
    assert.match(res.body, condition)
  }
  await refused(calendar(vevent('hourly@client', 'RRULE:FREQ=HOURLY')), /valid-calendar-data/)
  await refused(calendar(vevent('lone@client', 'RECURRENCE-ID:20300308T100000Z')), /valid-calendar-object-resource/)
  await refused(calendar(vevent('one@client', 'RRULE:FREQ=WEEKLY'), vevent('two@client')), /valid-calendar-object-resource/)
  assert.equal((await callApi(peer, `/api/calendars/${calendarId}`)).body.totalWrites, before)
  assert.equal((await dav('PUT', `${events()}series.ics`, calendar(vevent('weekly@client', 'RRULE:FREQ=WEEKLY;COUNT=4')))).status, 201)
  const renamed = await dav('PUT', `${events()}series.ics`, calendar(vevent('other@client', 'RRULE:FREQ=WEEKLY;COUNT=4')))
  assert.equal(renamed.status, 403)
  assert.match(renamed.body, /no-uid-conflict/)
  assert.equal((await callApi(peer, `/api/calendars/${calendarId}`)).body.totalWrites, before + 1)
})
