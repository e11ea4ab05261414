// CalDAV sync, timed on a real peer in this process, a calendar of 5,000 events (imported from .ics):
//  1. a client's first full sync, two ways clients do it — one sync-collection with an empty token
//     asking for calendar-data (DAVx5, python3-caldav), and PROPFIND Depth 1 for the ETags then
//     calendar-multiget in batches of 100 (vdirsyncer, Thunderbird) — beside two baselines from the
//     same run: the same events read through the plain JSON API (GET /api/calendars/:id), and a
//     client fetching each event with its own GET after the PROPFIND;
//  2. an incremental sync after 10 changes: sync-collection with the token from the full sync, beside
//     a client without sync tokens (PROPFIND Depth 1 for every ETag, then a multiget of the changed).
// Each figure is the median of RUNS runs. Run: npm run bench:caldav   (CALDAV_BENCH_EVENTS=1000 for a quicker run)
import assert from 'node:assert/strict'
import { performance } from 'node:perf_hooks'
import { startInProcess, callApi, rawRequest } from '../test/support/in-process.ts'
import { dav, hrefsIn, icsEvent, syncReport, tokenIn } from '../test/support/caldav.ts'
import type { RunningTidepool } from '../p2p/cli.ts'

const EVENTS = Number(process.env.CALDAV_BENCH_EVENTS ?? 5000)
const RUNS = 5
const BATCH = 100
const CHANGES = 10

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z'
const BASE = Date.UTC(2031, 0, 6, 8)

/** EVENTS one-hour meetings, ten rooms, eight a day in each: no two collide. */
function calendarFile (): string {
  const events = Array.from({ length: EVENTS }, (_, i) => {
    const start = BASE + Math.floor(i / 80) * 86_400_000 + (Math.floor(i / 10) % 8) * 3_600_000
    return icsEvent(`bench-${i}@caldav`, stamp(start), `Meeting ${i}`, `LOCATION:room-${i % 10}`, 'DESCRIPTION:Agenda: the usual').split('\r\n').slice(3, -2)
  })
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//EN', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n')
}

interface Figure { ms: number, bytes: number, requests: number }

async function median (run: () => Promise<Figure>): Promise<Figure> {
  const figures: Figure[] = []
  for (let i = 0; i < RUNS; i++) figures.push(await run())
  figures.sort((a, b) => a.ms - b.ms)
  return figures[Math.floor(RUNS / 2)] as Figure
}

async function timed (steps: (count: (body: string) => void) => Promise<void>): Promise<Figure> {
  let bytes = 0
  let requests = 0
  const started = performance.now()
  await steps(body => { bytes += Buffer.byteLength(body); requests++ })
  return { ms: performance.now() - started, bytes, requests }
}

const PROPFIND_ETAGS = '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
const multiget = (hrefs: string[]): string =>
  `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefs.map(h => `<d:href>${h}</d:href>`).join('')}</c:calendar-multiget>`

async function main (): Promise<void> {
  const peer: RunningTidepool = await startInProcess()
  try {
    const calendarId = (await callApi(peer, '/api/calendars', { name: 'Bench' })).body.id as string
    const collection = `/dav/calendars/${calendarId}/`
    const imported = await rawRequest(`${peer.api.url}/api/calendars/${calendarId}/ics`, { method: 'POST', body: calendarFile(), headers: { authorization: `Bearer ${peer.token}`, 'content-type': 'text/calendar' } })
    assert.equal(imported.status, 200, imported.body)

    const listing = async (count: (body: string) => void): Promise<string[]> => {
      const res = await dav(peer, 'PROPFIND', collection, PROPFIND_ETAGS, { depth: '1' })
      count(res.body)
      return hrefsIn(res.body).present.filter(h => h !== collection)
    }
    let token = ''
    const syncCollection = await median(async () => await timed(async count => {
      const res = await dav(peer, 'REPORT', collection, syncReport(''))
      count(res.body)
      assert.equal(hrefsIn(res.body).present.length, EVENTS)
      token = tokenIn(res.body)
    }))
    const propfindMultiget = await median(async () => await timed(async count => {
      const hrefs = await listing(count)
      for (let i = 0; i < hrefs.length; i += BATCH) count((await dav(peer, 'REPORT', collection, multiget(hrefs.slice(i, i + BATCH)))).body)
    }))
    const json = await median(async () => await timed(async count => {
      const res = await rawRequest(`${peer.api.url}/api/calendars/${calendarId}`, { headers: { authorization: `Bearer ${peer.token}` } })
      count(res.body)
      assert.equal(JSON.parse(res.body).events.length, EVENTS)
    }))
    // Once: it is the slow one, and the point is only how far behind it is.
    const getEach = await timed(async count => {
      for (const href of await listing(count)) count((await dav(peer, 'GET', href)).body)
    })

    // 10 changes through CalDAV, as a client makes them: retitled events.
    const hrefs = await listing(() => {})
    for (const href of hrefs.slice(0, CHANGES)) {
      const text = (await dav(peer, 'GET', href)).body
      assert.equal((await dav(peer, 'PUT', href, text.replace(/SUMMARY:Meeting/, 'SUMMARY:Changed meeting'))).status, 204)
    }
    const incremental = await median(async () => await timed(async count => {
      const res = await dav(peer, 'REPORT', collection, syncReport(token))
      count(res.body)
      assert.equal(hrefsIn(res.body).present.length, CHANGES)
    }))
    const etagsOnly = await median(async () => await timed(async count => {
      await listing(count)
      count((await dav(peer, 'REPORT', collection, multiget(hrefs.slice(0, CHANGES)))).body)
    }))

    const row = (what: string, f: Figure): string => `| ${what} | ${f.ms.toFixed(0)} | ${(f.bytes / 1e6).toFixed(2)} | ${f.requests} |`
    console.log(`CalDAV sync of ${EVENTS} events (median of ${RUNS} runs; the GET-per-event client once), ${new Date().toISOString().slice(0, 10)}`)
    console.log('| sync | ms | MB received | requests |')
    console.log('|---|---|---|---|')
    console.log(row('first full sync: sync-collection, empty token, calendar-data', syncCollection))
    console.log(row(`first full sync: PROPFIND Depth 1 + calendar-multiget by ${BATCH}`, propfindMultiget))
    console.log(row('baseline: the same events through the JSON API', json))
    console.log(row('baseline: PROPFIND + one GET per event', getEach))
    console.log(row(`incremental after ${CHANGES} changes: sync-collection with the token`, incremental))
    console.log(row(`baseline: incremental without tokens (PROPFIND Depth 1 + multiget of the ${CHANGES})`, etagsOnly))
  } finally {
    await peer.stop()
  }
}

await main()
