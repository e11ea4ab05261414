// What CalDAV clients chose and Tidepool did not: the UID and resource name a client gave an event,
// and the path segment it gave a calendar made by MKCALENDAR. Kept on this peer only, in the app
// database's `caldav` sublevel (all of it in memory too — one small record per client-made event):
//   res/<calendarId>/<name> → {uid, eventId}     alias/<segment> → calendarId
// Events made elsewhere (the UI, another peer) have no record: their name is `<eventId>.ics`.
import { appSublevel, type AppDatabase, type AppSublevel } from '../../store/app-store.ts'
import { z } from 'zod'

const Resource = z.object({ uid: z.string(), eventId: z.string() })
export type ClientResource = z.infer<typeof Resource>

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class CalDavNames {
  private readonly db: AppSublevel
  /** calendarId → name → resource */
  private readonly resources = new Map<string, Map<string, ClientResource>>()
  private readonly aliases = new Map<string, string>()
  /** Counts changes, so what is computed from the names can be kept until they change. */
  revision = 0

  constructor (db: AppDatabase) {
    this.db = appSublevel(db, 'caldav')
  }

  async load (): Promise<void> {
    for await (const [key, value] of this.db.iterator()) {
      const text = decoder.decode(value as Uint8Array)
      const [kind, first, ...rest] = (key as string).split('/')
      if (kind === 'alias' && first !== undefined) this.aliases.set(first, JSON.parse(text) as string)
      if (kind === 'res' && first !== undefined) this.inCalendar(first).set(rest.join('/'), Resource.parse(JSON.parse(text)))
    }
  }

  private inCalendar (calendarId: string): Map<string, ClientResource> {
    let map = this.resources.get(calendarId)
    if (map === undefined) { map = new Map(); this.resources.set(calendarId, map) }
    return map
  }

  /** A calendar's path segment: its alias, or its id. */
  calendarOf (segment: string): string {
    return this.aliases.get(segment) ?? segment
  }

  /** The segment clients know a calendar by: the one it was made at, or its id. */
  segmentOf (calendarId: string): string {
    for (const [segment, id] of this.aliases) if (id === calendarId) return segment
    return calendarId
  }

  async alias (segment: string, calendarId: string): Promise<void> {
    await this.db.put(`alias/${segment}`, encoder.encode(JSON.stringify(calendarId)))
    this.aliases.set(segment, calendarId)
    this.revision++
  }

  resourcesOf (calendarId: string): ReadonlyMap<string, ClientResource> {
    return this.inCalendar(calendarId)
  }

  async put (calendarId: string, name: string, resource: ClientResource): Promise<void> {
    await this.db.put(`res/${calendarId}/${name}`, encoder.encode(JSON.stringify(resource)))
    this.inCalendar(calendarId).set(name, resource)
    this.revision++
  }

  async remove (calendarId: string, name: string): Promise<void> {
    await this.db.del(`res/${calendarId}/${name}`)
    this.inCalendar(calendarId).delete(name)
    this.revision++
  }
}
