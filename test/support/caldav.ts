// Speaking CalDAV to an in-process peer in tests: raw requests with its token as the Basic password,
// an event as clients send it, a sync-collection report and the token in its answer, and a
// vdirsyncer pair between a folder of .ics files and a peer's calendar.
import { execFile, spawnSync } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { rawRequest, type RawResponse } from './in-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

export async function dav (peer: RunningTidepool, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const type: Record<string, string> = body === undefined ? {} : { 'content-type': body.startsWith('BEGIN:') ? 'text/calendar; charset=utf-8' : 'application/xml; charset=utf-8' }
  return await rawRequest(peer.api.url + path, { method, body, headers: { authorization: 'Basic ' + Buffer.from(`me:${peer.token}`).toString('base64'), ...type, ...headers } })
}

/** One VEVENT of an hour; `more` lines go inside it (RRULE, EXDATE, …). */
export function icsEvent (uid: string, start: string, summary: string, ...more: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`, 'DURATION:PT1H', `SUMMARY:${summary}`, ...more, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n')
}

export const syncReport = (token: string): string =>
  `<d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/><c:calendar-data/></d:prop></d:sync-collection>`
export const tokenIn = (body: string): string => /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(body)?.[1] ?? ''
/** The hrefs a multistatus answers with a propstat (present), and those it answers 404 (gone). */
export function hrefsIn (body: string): { present: string[], gone: string[] } {
  const responses = [...body.matchAll(/<d:response><d:href>([^<]+)<\/d:href>(<d:propstat>|<d:status>)/g)]
  return { present: responses.filter(m => m[2] === '<d:propstat>').map(m => m[1] as string), gone: responses.filter(m => m[2] === '<d:status>').map(m => m[1] as string) }
}

export const vdirsyncerInstalled = spawnSync('vdirsyncer', ['--version']).status === 0

/** A vdirsyncer pair, discovered: `dir`/events (a folder of .ics files) ↔ the peer's calendar, the server winning conflicts. */
export class Vdirsyncer {
  readonly events: string
  private readonly config: string

  private constructor (dir: string) {
    this.events = join(dir, 'events')
    this.config = join(dir, 'config')
  }

  static async pair (dir: string, peer: RunningTidepool, calendarId: string): Promise<Vdirsyncer> {
    const v = new Vdirsyncer(dir)
    await mkdir(v.events)
    await writeFile(v.config, [
      '[general]', `status_path = "${dir}/status/"`, '',
      '[pair tidepool]', 'a = "folder"', 'b = "caldav"', 'collections = null', 'conflict_resolution = "b wins"', '',
      '[storage folder]', 'type = "filesystem"', `path = "${v.events}/"`, 'fileext = ".ics"', '',
      '[storage caldav]', 'type = "caldav"', `url = "${peer.api.url}/dav/calendars/${calendarId}/"`, 'username = "anyone"', `password = "${peer.token}"`, ''
    ].join('\n'))
    await v.run('discover')
    return v
  }

  async run (...args: string[]): Promise<void> {
    // Asynchronously: it talks to a peer in this very process.
    await promisify(execFile)('vdirsyncer', ['-c', this.config, ...args], { timeout: 60_000 })
      .catch((err: Error & { stdout?: string, stderr?: string }) => { throw new Error(`vdirsyncer ${args.join(' ')}: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`) })
  }

  /** The folder's files: name → text. */
  async files (): Promise<Map<string, string>> {
    const names = (await readdir(this.events)).filter(n => n.endsWith('.ics'))
    return new Map(await Promise.all(names.map(async n => [n, await readFile(join(this.events, n), 'utf8')] as [string, string])))
  }
}
