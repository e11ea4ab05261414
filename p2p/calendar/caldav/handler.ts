// CalDAV on the local API's port (RFC 4791, with the parts of WebDAV — RFC 4918 — and of RFC 6578's
// sync-collection that clients use). The layout:
//   /.well-known/caldav → /dav/          /dav/ the principal       /dav/calendars/ its calendar home
//   /dav/calendars/<calendar>/ one Tidepool calendar   …/<name> one event, as an iCalendar object
// A PUT is Bayou writes (put-plan.ts: a reserve or a series' schedule, then the narrowest changes), a
// DELETE a cancel; what clients read is the calendar as it is now, so a commit that moved an event or
// made it a conflict shows on their next sync.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Mount } from '../../api/router.ts'
import { readBody } from '../../api/http.ts'
import { CalendarError } from '../errors.ts'
import { parseIcs, type IcsEvent } from '../ics/parse.ts'
import { SerialQueue } from '../serial-queue.ts'
import type { CalendarService } from '../service.ts'
import type { CalDavNames } from './names.ts'
import type { SyncTokens } from './sync-tokens.ts'
import { eventIcs, expandedIcs, overlaps, resources, withoutNote, type EventResource } from './collection.ts'
import { putPlan, PutRefused } from './put-plan.ts'
import {
  BadXml, c, CALDAV, CALSERVER, child, children, d, DAV, davDocument, element, escapeXml, nameOf, parseXml,
  propResponse, statusLine, statusResponse, textOf, type XmlName
} from './xml.ts'

export const WELL_KNOWN = '/.well-known/caldav'
const ROOT = '/dav/'
const HOME = '/dav/calendars/'
const MAX_XML_BYTES = 256 * 1024
/** One event's .ics: far below what a whole-calendar import may be. */
const MAX_EVENT_BYTES = 1024 * 1024
const ALLOW = 'OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT, MKCALENDAR'

/** A WebDAV failure: its status and, for a failed precondition, the condition's element (RFC 4918 16). */
class DavError extends Error {
  readonly status: number
  readonly condition: string | undefined
  constructor (status: number, message: string, condition?: string) {
    super(message)
    this.status = status
    this.condition = condition
  }
}

type Target =
  | { kind: 'principal' }
  | { kind: 'home' }
  | { kind: 'calendar', segment: string }
  | { kind: 'event', segment: string, name: string }

function targetOf (pathname: string): Target {
  let parts: string[]
  try {
    parts = pathname.slice(ROOT.length).split('/').filter(p => p !== '').map(decodeURIComponent)
  } catch {
    throw new DavError(400, 'the path is not valid percent-encoding')
  }
  const [top, segment, name, ...more] = parts
  if (top === undefined) return { kind: 'principal' }
  if (top !== 'calendars' || more.length > 0) throw new DavError(404, `no resource ${pathname}`)
  if (segment === undefined) return { kind: 'home' }
  if (name === undefined) return { kind: 'calendar', segment }
  return { kind: 'event', segment, name }
}

const calendarHref = (segment: string): string => `${HOME}${encodeURIComponent(segment)}/`
const eventHref = (segment: string, name: string): string => calendarHref(segment) + encodeURIComponent(name)
const key = (name: XmlName): string => `${name.ns}|${name.local}`

/** A resource's properties: name → its value as inner XML, computed only when asked for. */
type Properties = Array<[XmlName, () => string]>

function send (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', ...headers })
  res.end(body)
}

const sendXml = (res: ServerResponse, status: number, xml: string): void => { send(res, status, xml, { 'content-type': 'application/xml; charset=utf-8' }) }

async function readXml (req: IncomingMessage): Promise<Element | undefined> {
  const text = (await readBody(req, MAX_XML_BYTES)).toString('utf8')
  return text.trim() === '' ? undefined : parseXml(text)
}

/** The properties asked for by a request's <prop>; undefined for allprop (or no body). */
function requestedProps (root: Element | undefined): XmlName[] | undefined {
  const prop = root === undefined ? undefined : child(root, { ns: DAV, local: 'prop' })
  return prop === undefined ? undefined : children(prop).map(nameOf)
}

/** A time-range bound, `YYYYMMDDTHHMMSSZ` (RFC 4791 9.9: UTC), as ms; a missing one is open. */
function rangeTime (text: string, open: number): number {
  if (text === '') return open
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text)
  if (m === null) throw new DavError(400, `time-range ${JSON.stringify(text)} is not an iCalendar UTC time`)
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  return Date.UTC(year, month - 1, day, hour, minute, second)
}

/** The properties that carry the sync token (computed, and noted on disk, only when asked for). */
const TOKEN_PROPS = new Set([key({ ns: CALSERVER, local: 'getctag' }), key({ ns: DAV, local: 'sync-token' })])
const wantsToken = (asked: XmlName[] | undefined): boolean => asked === undefined || asked.some(name => TOKEN_PROPS.has(key(name)))

export class CalDavHandler {
  /** Writes one at a time, so an If-Match check and the write it guards don't interleave with another. */
  private readonly writes = new SerialQueue()

  private readonly calendars: CalendarService
  private readonly names: CalDavNames
  private readonly tokens: SyncTokens
  private readonly now: () => number
  /**
   * Each calendar's resources as last computed, with what they were computed from: the replica's
   * version vector and CSN (every write or commit changes one) and the names' revision. Without it
   * every GET or PUT would hash all of the calendar's events.
   */
  private readonly computed = new Map<string, { from: string, resources: EventResource[], byName: Map<string, EventResource> }>()

  constructor (calendars: CalendarService, names: CalDavNames, tokens: SyncTokens, now: () => number = Date.now) {
    this.calendars = calendars
    this.names = names
    this.tokens = tokens
    this.now = now
  }

  mounts (): Mount[] {
    return [
      { prefix: WELL_KNOWN, handle: async ({ res }) => { send(res, 301, '', { location: ROOT }) } },
      { prefix: ROOT, handle: async ({ req, res, url }) => { await this.handle(req, res, url) } }
    ]
  }

  private async handle (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const target = targetOf(url.pathname)
      switch (req.method) {
        case 'OPTIONS': send(res, 200, '', { dav: '1, 3, calendar-access', allow: ALLOW }); return
        case 'PROPFIND': await this.propfind(req, res, target); return
        case 'REPORT': await this.report(req, res, target); return
        case 'PROPPATCH': await this.proppatch(req, res, url); return
        case 'GET': case 'HEAD': this.get(req, res, target); return
        case 'PUT': await this.writes.run(async () => { await this.put(req, res, target) }); return
        case 'DELETE': await this.writes.run(async () => { await this.delete(req, res, target) }); return
        case 'MKCALENDAR': await this.writes.run(async () => { await this.mkcalendar(req, res, target) }); return
        default: send(res, 405, '', { allow: ALLOW })
      }
    } catch (err) {
      const dav = err instanceof DavError
        ? err
        : err instanceof BadXml
          ? new DavError(400, `malformed XML: ${err.message}`)
          : err instanceof CalendarError
            ? new DavError(err.code === 'unknown-calendar' ? 404 : err.code === 'not-member' ? 403 : 409, err.message)
            : undefined
      if (dav === undefined) throw err
      if (dav.condition !== undefined) sendXml(res, dav.status, davDocument('error', dav.condition))
      else send(res, dav.status, dav.message + '\n', { 'content-type': 'text/plain; charset=utf-8' })
    }
  }

  // ---- what is served ----

  private calendarId (segment: string): string {
    const id = this.names.calendarOf(segment)
    if (!this.calendars.ids().includes(id)) throw new DavError(404, `no calendar ${segment}`)
    return id
  }

  private computedOf (calendarId: string): { resources: EventResource[], byName: Map<string, EventResource> } {
    const replica = this.calendars.replica(calendarId)
    const from = JSON.stringify([replica.versionVector(), replica.csn, this.names.revision])
    const held = this.computed.get(calendarId)
    if (held?.from === from) return held
    const all = resources(calendarId, replica, this.names)
    const fresh = { from, resources: all, byName: new Map(all.map(r => [r.name, r])) }
    this.computed.set(calendarId, fresh)
    return fresh
  }

  private eventsOf (calendarId: string): EventResource[] {
    return this.computedOf(calendarId).resources
  }

  private calendarName (calendarId: string): string {
    return String(this.calendars.replica(calendarId).database.get('meta', 'name') ?? '')
  }

  private eventAt (target: { segment: string, name: string }): { calendarId: string, resource: EventResource | undefined } {
    const calendarId = this.calendarId(target.segment)
    return { calendarId, resource: this.computedOf(calendarId).byName.get(target.name) }
  }

  private common (): Properties {
    return [
      [{ ns: DAV, local: 'current-user-principal' }, () => d('href', ROOT)],
      [{ ns: DAV, local: 'principal-URL' }, () => d('href', ROOT)],
      [{ ns: DAV, local: 'owner' }, () => d('href', ROOT)],
      [{ ns: CALDAV, local: 'calendar-home-set' }, () => d('href', HOME)],
      [{ ns: DAV, local: 'current-user-privilege-set' }, () => ['read', 'write', 'write-content', 'bind', 'unbind', 'read-current-user-privilege-set'].map(p => d('privilege', d(p))).join('')]
    ]
  }

  /** A calendar's properties; `syncToken` undefined when none was asked for. */
  private calendarProps (calendarId: string, syncToken: string | undefined): Properties {
    const token = (): string => escapeXml(syncToken ?? '')
    return [
      [{ ns: DAV, local: 'resourcetype' }, () => d('collection') + c('calendar')],
      [{ ns: DAV, local: 'displayname' }, () => escapeXml(this.calendarName(calendarId))],
      [{ ns: CALDAV, local: 'supported-calendar-component-set' }, () => '<c:comp name="VEVENT"/>'],
      [{ ns: CALSERVER, local: 'getctag' }, token],
      [{ ns: DAV, local: 'sync-token' }, token],
      [{ ns: DAV, local: 'supported-report-set' }, () => [c('calendar-multiget'), c('calendar-query'), d('sync-collection')].map(r => d('supported-report', d('report', r))).join('')],
      ...this.common()
    ]
  }

  /** An event's properties; with `expand`, calendar-data is its instances in that range (RFC 4791 9.6.5). */
  private eventProps (calendarName: string, resource: EventResource, expand?: { from: number, to: number }): Properties {
    const data = (): string => expand === undefined
      ? eventIcs(calendarName, resource, this.now())
      : expandedIcs(calendarName, resource, expand.from, expand.to, this.now())
    return [
      [{ ns: DAV, local: 'resourcetype' }, () => ''],
      [{ ns: DAV, local: 'getetag' }, () => escapeXml(resource.etag)],
      [{ ns: DAV, local: 'getcontenttype' }, () => 'text/calendar; charset=utf-8; component=vevent'],
      [{ ns: CALDAV, local: 'calendar-data' }, () => escapeXml(data())]
    ]
  }

  private async syncToken (calendarId: string, asked: XmlName[] | undefined): Promise<string | undefined> {
    return wantsToken(asked) ? await this.tokens.current(calendarId, () => this.eventsOf(calendarId)) : undefined
  }

  /** One <response>: the asked-for properties it has, and a 404 propstat for the rest. */
  private respond (href: string, properties: Properties, asked: XmlName[] | undefined): string {
    const byKey = new Map(properties.map(([name, value]) => [key(name), { name, value }]))
    // allprop: all but calendar-data (RFC 4791 9.6 makes clients ask for it by name).
    const names = asked ?? properties.map(([name]) => name).filter(n => n.local !== 'calendar-data')
    const found: Array<[XmlName, string]> = []
    const missing: XmlName[] = []
    for (const name of names) {
      const property = byKey.get(key(name))
      if (property === undefined) missing.push(name)
      else found.push([property.name, property.value()])
    }
    return propResponse(href, found, missing)
  }

  // ---- methods ----

  private async propfind (req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
    const asked = requestedProps(await readXml(req))
    const deep = req.headers.depth !== '0'
    const out: string[] = []
    switch (target.kind) {
      case 'principal':
        out.push(this.respond(ROOT, [
          [{ ns: DAV, local: 'resourcetype' }, () => d('collection') + d('principal')],
          [{ ns: DAV, local: 'displayname' }, () => 'Tidepool'],
          ...this.common()
        ], asked))
        break
      case 'home':
        out.push(this.respond(HOME, [[{ ns: DAV, local: 'resourcetype' }, () => d('collection')], ...this.common()], asked))
        if (deep) {
          for (const id of this.calendars.ids()) out.push(this.respond(calendarHref(this.names.segmentOf(id)), this.calendarProps(id, await this.syncToken(id, asked)), asked))
        }
        break
      case 'calendar': {
        const id = this.calendarId(target.segment)
        out.push(this.respond(calendarHref(target.segment), this.calendarProps(id, await this.syncToken(id, asked)), asked))
        if (deep) {
          const name = this.calendarName(id)
          for (const r of this.eventsOf(id)) out.push(this.respond(eventHref(target.segment, r.name), this.eventProps(name, r), asked))
        }
        break
      }
      case 'event': {
        const { calendarId, resource } = this.eventAt(target)
        if (resource === undefined) throw new DavError(404, `no event ${target.name}`)
        out.push(this.respond(eventHref(target.segment, target.name), this.eventProps(this.calendarName(calendarId), resource), asked))
      }
    }
    sendXml(res, 207, davDocument('multistatus', out.join('')))
  }

  /**
   * Clients set a colour or a description after MKCALENDAR; Tidepool keeps none of these, so each
   * property is refused (403) in a 207, which clients take as "not kept" rather than as a failure.
   */
  private async proppatch (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const root = await readXml(req)
    const props = root === undefined ? [] : children(root).flatMap(update => children(update, { ns: DAV, local: 'prop' })).flatMap(prop => children(prop).map(nameOf))
    const refused = d('propstat', d('prop', props.map(name => element(name)).join('')) + d('status', statusLine(403)))
    sendXml(res, 207, davDocument('multistatus', d('response', d('href', escapeXml(url.pathname)) + refused)))
  }

  private async report (req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
    if (target.kind !== 'calendar') throw new DavError(403, 'reports are on a calendar', d('supported-report'))
    const root = await readXml(req)
    if (root === undefined) throw new DavError(400, 'a REPORT needs a body')
    const id = this.calendarId(target.segment)
    const name = this.calendarName(id)
    const all = this.eventsOf(id)
    const asked = requestedProps(root) ?? [{ ns: DAV, local: 'getetag' }]
    const expand = expandRange(root)
    const answer = (r: EventResource): string => this.respond(eventHref(target.segment, r.name), this.eventProps(name, r, expand), asked)
    const report = nameOf(root)
    if (report.ns === CALDAV && report.local === 'calendar-multiget') {
      const out = children(root, { ns: DAV, local: 'href' }).map(textOf).map(href => {
        const wanted = decodeURIComponent(new URL(href, 'http://127.0.0.1').pathname.split('/').at(-1) ?? '')
        const r = all.find(e => e.name === wanted)
        return r === undefined ? statusResponse(href, 404) : answer(r)
      })
      sendXml(res, 207, davDocument('multistatus', out.join('')))
      return
    }
    if (report.ns === CALDAV && report.local === 'calendar-query') {
      sendXml(res, 207, davDocument('multistatus', queried(root, all).map(answer).join('')))
      return
    }
    if (report.ns === DAV && report.local === 'sync-collection') {
      const tokenElement = child(root, { ns: DAV, local: 'sync-token' })
      const token = tokenElement === undefined ? '' : textOf(tokenElement)
      const diff = token === ''
        ? { changed: all, gone: [], token: await this.tokens.current(id, () => all) }
        : await this.tokens.since(id, token, () => all)
      if (diff === undefined) throw new DavError(403, 'the sync token is unknown or too old: sync in full', d('valid-sync-token'))
      const out = [...diff.changed.map(answer), ...diff.gone.map(gone => statusResponse(eventHref(target.segment, gone), 404))]
      out.push(d('sync-token', escapeXml(diff.token)))
      sendXml(res, 207, davDocument('multistatus', out.join('')))
      return
    }
    throw new DavError(403, `unsupported report ${report.local}`, d('supported-report'))
  }

  private get (req: IncomingMessage, res: ServerResponse, target: Target): void {
    if (target.kind !== 'event') throw new DavError(405, 'GET is for events')
    const { calendarId, resource } = this.eventAt(target)
    if (resource === undefined) throw new DavError(404, `no event ${target.name}`)
    const text = eventIcs(this.calendarName(calendarId), resource, this.now())
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'content-length': Buffer.byteLength(text), etag: resource.etag, 'cache-control': 'no-store' })
    res.end(req.method === 'HEAD' ? undefined : text)
  }

  private async put (req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
    if (target.kind !== 'event') throw new DavError(405, 'PUT is for events inside a calendar')
    if (!/^text\/calendar\b/i.test(req.headers['content-type'] ?? '')) throw new DavError(415, 'send the event as Content-Type: text/calendar')
    const text = (await readBody(req, MAX_EVENT_BYTES)).toString('utf8')
    const { calendarId, resource } = this.eventAt(target)
    preconditions(req, resource)
    const sent = oneEvent(text)
    const incoming = { ...sent, description: withoutNote(sent.description, resource?.note) }
    const here = eventHref(this.names.segmentOf(calendarId), target.name)
    // RFC 4791 5.3.2.1 no-uid-conflict: a resource keeps its UID, and a UID is one event on this peer.
    if (resource !== undefined && resource.uid !== incoming.uid) throw new DavError(403, `${here} has UID ${resource.uid}`, c('no-uid-conflict', d('href', escapeXml(here))))
    const elsewhere = this.calendars.ids().flatMap(id => this.eventsOf(id).filter(r => r.uid === incoming.uid && !(id === calendarId && r.name === target.name))
      .map(r => eventHref(this.names.segmentOf(id), r.name)))[0]
    if (elsewhere !== undefined) throw new DavError(403, `UID ${incoming.uid} is already ${elsewhere}`, c('no-uid-conflict', d('href', escapeXml(elsewhere))))
    let ops
    try {
      // The stored event as the client reads it (less the commit note), parsed as what was sent is.
      const existing = resource === undefined ? undefined : { row: resource.row, stored: oneEvent(eventIcs(this.calendarName(calendarId), { ...resource, note: undefined }, this.now())) }
      ops = putPlan(incoming, existing)
    } catch (err) {
      if (err instanceof PutRefused) throw new DavError(403, err.message, c('valid-calendar-object-resource'))
      throw err
    }
    let eventId = resource?.row.id
    for (const op of ops) {
      const { writeId } = await this.calendars.write(calendarId, op)
      if (op.kind === 'reserve' || op.kind === 'schedule') eventId = writeId
    }
    // The name and UID the client chose, kept for the event the resource now is.
    if (eventId !== undefined && eventId !== resource?.row.id) await this.names.put(calendarId, target.name, { uid: incoming.uid, eventId })
    send(res, resource === undefined ? 201 : 204, '')
  }

  private async delete (req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
    if (target.kind !== 'event') throw new DavError(403, 'only events are deleted over CalDAV')
    const { calendarId, resource } = this.eventAt(target)
    if (resource === undefined) throw new DavError(404, `no event ${target.name}`)
    preconditions(req, resource)
    await this.calendars.write(calendarId, { kind: 'cancel', eventId: resource.row.id })
    if (this.names.resourcesOf(calendarId).has(target.name)) await this.names.remove(calendarId, target.name)
    send(res, 204, '')
  }

  private async mkcalendar (req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
    if (target.kind !== 'calendar') throw new DavError(403, 'calendars are made inside /dav/calendars/')
    if (this.calendars.ids().includes(this.names.calendarOf(target.segment))) throw new DavError(405, 'the calendar exists', d('resource-must-be-null'))
    const root = await readXml(req)
    const set = root === undefined ? undefined : child(root, { ns: DAV, local: 'set' })
    const prop = set === undefined ? undefined : child(set, { ns: DAV, local: 'prop' })
    const displayName = prop === undefined ? undefined : child(prop, { ns: DAV, local: 'displayname' })
    const name = (displayName === undefined ? '' : textOf(displayName)).slice(0, 200) || target.segment.slice(0, 200)
    const { id } = await this.calendars.create(name)
    if (id !== target.segment) await this.names.alias(target.segment, id)
    send(res, 201, '')
  }
}

/** If-Match / If-None-Match against the resource as it is (RFC 4918 10.4, RFC 7232): 412 when they fail. */
function preconditions (req: IncomingMessage, resource: EventResource | undefined): void {
  const ifMatch = req.headers['if-match']
  const ifNoneMatch = req.headers['if-none-match']
  const listed = (header: string, etag: string | undefined): boolean =>
    etag !== undefined && (header.trim() === '*' || header.split(',').map(t => t.trim()).includes(etag))
  if (ifMatch !== undefined && !listed(ifMatch, resource?.etag)) throw new DavError(412, 'the event changed since you read it (If-Match)')
  if (ifNoneMatch !== undefined && listed(ifNoneMatch, resource?.etag)) throw new DavError(412, 'the event exists (If-None-Match)')
}

/** A PUT's body: one VEVENT with a UID, or a series with its overrides; else the CalDAV precondition it breaks. */
function oneEvent (text: string): IcsEvent {
  let events
  try {
    events = parseIcs(text).events
  } catch (err) {
    if (err instanceof CalendarError) throw new DavError(403, err.message, c('valid-calendar-data'))
    throw err
  }
  const [event, ...more] = events
  if (event === undefined) throw new DavError(403, 'only VEVENTs are stored', c('supported-calendar-component'))
  if (more.length > 0) throw new DavError(403, 'one event (or one series with its overrides, one UID) per resource', c('valid-calendar-object-resource'))
  if (event.recurrenceId !== undefined) throw new DavError(403, 'an overridden occurrence without its series', c('valid-calendar-object-resource'))
  return event
}

/** The range of a <calendar-data><expand start end/> in the request's properties, if any (RFC 4791 9.6.5). */
function expandRange (root: Element): { from: number, to: number } | undefined {
  const prop = child(root, { ns: DAV, local: 'prop' })
  const data = prop === undefined ? undefined : child(prop, { ns: CALDAV, local: 'calendar-data' })
  const expand = data === undefined ? undefined : child(data, { ns: CALDAV, local: 'expand' })
  if (expand === undefined) return undefined
  const from = rangeTime(expand.getAttribute('start') ?? '', NaN)
  const to = rangeTime(expand.getAttribute('end') ?? '', NaN)
  if (!(from < to)) throw new DavError(400, 'expand needs a start before its end')
  return { from, to }
}

/** calendar-query: VCALENDAR > VEVENT, with an optional time-range; a filter on another component matches nothing. */
function queried (root: Element, all: EventResource[]): EventResource[] {
  const compFilter = { ns: CALDAV, local: 'comp-filter' }
  const filter = child(root, { ns: CALDAV, local: 'filter' })
  const calendar = filter === undefined ? undefined : child(filter, compFilter)
  const component = calendar === undefined ? undefined : child(calendar, compFilter)
  if (component === undefined) return all
  if (component.getAttribute('name')?.toUpperCase() !== 'VEVENT') return []
  const range = child(component, { ns: CALDAV, local: 'time-range' })
  if (range === undefined) return all
  const from = rangeTime(range.getAttribute('start') ?? '', -Infinity)
  const to = rangeTime(range.getAttribute('end') ?? '', Infinity)
  return all.filter(r => overlaps(r, from, to))
}
