// Tidepool's CalDAV synced both ways with a folder of .ics files by Debian's vdirsyncer: created,
// changed and deleted on each side, each change seen on the other after one `vdirsyncer sync`; a
// recurring series made in the folder, changed there occurrence by occurrence, and changed in Tidepool.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startInProcess, callApi } from '../support/in-process.ts'
import { makeTempDir } from '../support/cleanup.ts'
import { icsEvent, Vdirsyncer, vdirsyncerInstalled } from '../support/caldav.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

const SKIP = 'skipped: vdirsyncer is missing (apt-get install vdirsyncer)'
let peer: RunningTidepool | undefined
let calendarId: string
let vdirsyncer: Vdirsyncer

before(async () => {
  if (!vdirsyncerInstalled) return
  peer = await startInProcess()
  calendarId = (await callApi(peer, '/api/calendars', { name: 'Folder' })).body.id
  vdirsyncer = await Vdirsyncer.pair(await makeTempDir('tidepool-vdirsyncer-'), peer, calendarId)
})
after(async () => { await peer?.stop() })

const eventsInTidepool = async (): Promise<Array<{ id: string, title: string, start: string }>> =>
  (await callApi(peer as RunningTidepool, `/api/calendars/${calendarId}`)).body.events

test('vdirsyncer: both ways with a folder — create, change, delete on each side', async t => {
  if (peer === undefined) { t.skip(SKIP); return }
  // Tidepool → folder
  const made = await callApi(peer, `/api/calendars/${calendarId}/writes`, { op: 'reserve', title: 'From the UI', durationMinutes: 30, alternatives: ['2033-01-10T09:00:00Z'] })
  assert.equal(made.status, 200)
  // vdirsyncer refuses to sync a side that was emptied completely: this one stays on both.
  await callApi(peer, `/api/calendars/${calendarId}/writes`, { op: 'reserve', title: 'Stays', durationMinutes: 30, alternatives: ['2033-02-01T09:00:00Z'] })
  await vdirsyncer.run('sync')
  let files = await vdirsyncer.files()
  assert.equal(files.size, 2)
  assert.ok([...files.values()].some(text => text.includes('SUMMARY:From the UI')))

  // folder → Tidepool: a new file, then a change to it
  await writeFile(join(vdirsyncer.events, 'local-1.ics'), icsEvent('local-1@folder', '20330111T090000Z', 'From the folder'))
  await vdirsyncer.run('sync')
  assert.ok((await eventsInTidepool()).some(e => e.title === 'From the folder' && e.start === '2033-01-11T09:00:00.000Z'))
  // The upload's write was tentative; once committed the event reads STATUS:CONFIRMED, a server-side
  // change the next sync brings to the folder (changed on both sides before it, "b wins" would apply).
  await vdirsyncer.run('sync')
  assert.match((await vdirsyncer.files()).get('local-1.ics') ?? '', /STATUS:CONFIRMED/)
  await writeFile(join(vdirsyncer.events, 'local-1.ics'), icsEvent('local-1@folder', '20330111T140000Z', 'From the folder, later'))
  await vdirsyncer.run('sync')
  assert.ok((await eventsInTidepool()).some(e => e.title === 'From the folder, later' && e.start === '2033-01-11T14:00:00.000Z'))

  // Tidepool deletes (a cancel write) → the file goes; the folder deletes → the event is cancelled
  await callApi(peer, `/api/calendars/${calendarId}/writes`, { op: 'cancel', eventId: made.body.writeId })
  await vdirsyncer.run('sync')
  files = await vdirsyncer.files()
  assert.equal(files.size, 2)
  assert.ok(files.has('local-1.ics'))
  assert.ok(![...files.values()].some(text => text.includes('SUMMARY:From the UI')))
  await rm(join(vdirsyncer.events, 'local-1.ics'))
  await vdirsyncer.run('sync')
  assert.deepEqual((await eventsInTidepool()).map(e => e.title), ['Stays'])
})

test('vdirsyncer: a weekly series from the folder, an occurrence cancelled there, the series retitled in Tidepool', async t => {
  if (peer === undefined) { t.skip(SKIP); return }
  const weekly = (...more: string[]): string => icsEvent('weekly@folder', '20330103T090000Z', 'Weekly', 'RRULE:FREQ=WEEKLY;COUNT=8', ...more)
  const occurrences = async (): Promise<string[]> => (await callApi(peer as RunningTidepool, `/api/calendars/${calendarId}/occurrences?from=2033-01-01T00:00:00Z&to=2033-03-01T00:00:00Z`)).body.occurrences
    .filter((o: { seriesId: string, title: string }) => o.title.startsWith('Weekly')).map((o: { start: string, title: string }) => `${o.start.slice(0, 10)} ${o.title}`)
  await writeFile(join(vdirsyncer.events, 'weekly.ics'), weekly())
  await vdirsyncer.run('sync')
  assert.equal((await occurrences()).length, 8)
  await vdirsyncer.run('sync') // brings the commit (STATUS:CONFIRMED) to the folder before it changes there
  await writeFile(join(vdirsyncer.events, 'weekly.ics'), weekly('EXDATE:20330110T090000Z'))
  await vdirsyncer.run('sync')
  const left = await occurrences()
  assert.equal(left.length, 7)
  assert.ok(!left.some(o => o.startsWith('2033-01-10')))
  // Retitled in Tidepool ("all events"): the folder's file is the series with its EXDATE, retitled.
  const seriesId = (await callApi(peer, `/api/calendars/${calendarId}/occurrences?from=2033-01-01T00:00:00Z&to=2033-01-04T00:00:00Z`)).body.occurrences[0].seriesId
  assert.equal((await callApi(peer, `/api/calendars/${calendarId}/writes`, { op: 'series', eventId: seriesId, changes: { title: 'Weekly review' } })).status, 200)
  await vdirsyncer.run('sync')
  const file = (await vdirsyncer.files()).get('weekly.ics') ?? ''
  assert.match(file, /SUMMARY:Weekly review/)
  assert.match(file, /RRULE:FREQ=WEEKLY;COUNT=8/)
  assert.match(file, /EXDATE:20330110T090000Z/)
})
