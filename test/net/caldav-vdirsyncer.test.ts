// Tidepool's CalDAV synced both ways with a folder of .ics files by Debian's vdirsyncer: created,
// changed and deleted on each side, each change seen on the other after one `vdirsyncer sync`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startInProcess, callApi } from '../support/in-process.ts'
import { makeTempDir } from '../support/cleanup.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

const installed = spawnSync('vdirsyncer', ['--version']).status === 0

let peer: RunningTidepool | undefined
let calendarId: string
let dir: string

before(async () => {
  if (!installed) return
  peer = await startInProcess()
  calendarId = (await callApi(peer, '/api/calendars', { name: 'Folder' })).body.id
  dir = await makeTempDir('tidepool-vdirsyncer-')
  await mkdir(join(dir, 'events'))
  await writeFile(join(dir, 'config'), [
    '[general]', `status_path = "${dir}/status/"`, '',
    '[pair tidepool]', 'a = "folder"', 'b = "caldav"', 'collections = null', 'conflict_resolution = "b wins"', '',
    '[storage folder]', 'type = "filesystem"', `path = "${dir}/events/"`, 'fileext = ".ics"', '',
    '[storage caldav]', 'type = "caldav"', `url = "${peer.api.url}/dav/calendars/${calendarId}/"`, 'username = "anyone"', `password = "${peer.token}"`, ''
  ].join('\n'))
})
after(async () => { await peer?.stop() })

async function vdirsyncer (...args: string[]): Promise<void> {
  // Asynchronously: it talks to a peer in this very process.
  await promisify(execFile)('vdirsyncer', ['-c', join(dir, 'config'), ...args], { timeout: 60_000 })
    .catch((err: Error & { stdout?: string, stderr?: string }) => { assert.fail(`vdirsyncer ${args.join(' ')}: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`) })
}

const folder = async (): Promise<Map<string, string>> => {
  const names = (await readdir(join(dir, 'events'))).filter(n => n.endsWith('.ics'))
  return new Map(await Promise.all(names.map(async n => [n, await readFile(join(dir, 'events', n), 'utf8')] as [string, string])))
}
const eventsInTidepool = async (): Promise<Array<{ id: string, title: string, start: string }>> =>
  (await callApi(peer as RunningTidepool, `/api/calendars/${calendarId}`)).body.events

function ics (uid: string, start: string, summary: string): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//folder//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`, 'DURATION:PT1H', `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n')
}

test('vdirsyncer: both ways with a folder — create, change, delete on each side', async t => {
  if (!installed || peer === undefined) { t.skip('skipped: vdirsyncer is missing (apt-get install vdirsyncer)'); return }
  // Tidepool → folder
  const made = await callApi(peer, `/api/calendars/${calendarId}/writes`, { op: 'reserve', title: 'From the UI', durationMinutes: 30, alternatives: ['2033-01-10T09:00:00Z'] })
  assert.equal(made.status, 200)
  // vdirsyncer refuses to sync a side that was emptied completely: this one stays on both.
  await callApi(peer, `/api/calendars/${calendarId}/writes`, { op: 'reserve', title: 'Stays', durationMinutes: 30, alternatives: ['2033-02-01T09:00:00Z'] })
  await vdirsyncer('discover')
  await vdirsyncer('sync')
  let files = await folder()
  assert.equal(files.size, 2)
  assert.ok([...files.values()].some(text => text.includes('SUMMARY:From the UI')))

  // folder → Tidepool: a new file, then a change to it
  await writeFile(join(dir, 'events', 'local-1.ics'), ics('local-1@folder', '20330111T090000Z', 'From the folder'))
  await vdirsyncer('sync')
  assert.ok((await eventsInTidepool()).some(e => e.title === 'From the folder' && e.start === '2033-01-11T09:00:00.000Z'))
  // The upload's write was tentative; once committed the event reads STATUS:CONFIRMED, a server-side
  // change the next sync brings to the folder (changed on both sides before it, "b wins" would apply).
  await vdirsyncer('sync')
  assert.match((await folder()).get('local-1.ics') ?? '', /STATUS:CONFIRMED/)
  await writeFile(join(dir, 'events', 'local-1.ics'), ics('local-1@folder', '20330111T140000Z', 'From the folder, later'))
  await vdirsyncer('sync')
  assert.ok((await eventsInTidepool()).some(e => e.title === 'From the folder, later' && e.start === '2033-01-11T14:00:00.000Z'))

  // Tidepool deletes (a cancel write) → the file goes; the folder deletes → the event is cancelled
  await callApi(peer, `/api/calendars/${calendarId}/writes`, { op: 'cancel', eventId: made.body.writeId })
  await vdirsyncer('sync')
  files = await folder()
  assert.equal(files.size, 2)
  assert.ok(files.has('local-1.ics'))
  assert.ok(![...files.values()].some(text => text.includes('SUMMARY:From the UI')))
  await rm(join(dir, 'events', 'local-1.ics'))
  await vdirsyncer('sync')
  assert.deepEqual((await eventsInTidepool()).map(e => e.title), ['Stays'])
})
