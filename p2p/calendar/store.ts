// Calendars on disk, in the app database's `calendar` sublevel:
//   cal/<calendarId>              → {id, replica}: the calendars this peer holds
//   data/<calendarId>/<key>       → one record of a replica (replica-records.ts lays them out)
// Every change to a replica — a local write, one received sync chunk — is one LevelDB batch, so a
// crash leaves either all of it or none of it.
import { appSublevel, type AppDatabase, type AppSublevel } from '../store/app-store.ts'
import type { ReplicaChanges, ReplicaState } from './bayou/replica.ts'
import { replicaRecords, replicaState } from './replica-records.ts'
import { breather } from './breather.ts'

export interface CalendarRecord { id: string, replica: string }

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const encode = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value))
const decode = (bytes: Uint8Array): unknown => JSON.parse(decoder.decode(bytes))

export class CalendarStore {
  private readonly db: AppSublevel

  constructor (db: AppDatabase) {
    this.db = appSublevel(db, 'calendar')
  }

  async calendars (): Promise<CalendarRecord[]> {
    const out: CalendarRecord[] = []
    for await (const value of this.db.values({ gt: 'cal/', lt: 'cal/\xff' })) out.push(decode(value as Uint8Array) as CalendarRecord)
    return out
  }

  private async records (calendarId: string): Promise<Array<[string, unknown]>> {
    const prefix = `data/${calendarId}/`
    const out: Array<[string, unknown]> = []
    for await (const [key, value] of this.db.iterator({ gt: prefix, lt: `${prefix}\xff` })) out.push([key.slice(prefix.length), decode(value as Uint8Array)])
    return out
  }

  /** A replica as stored; throws if none is. */
  async load (calendarId: string): Promise<ReplicaState> {
    return replicaState(await this.records(calendarId))
  }

  /**
   * Writes a replica's changes (and, for a new calendar, its index entry) in one atomic batch. It is
   * built a slice at a time with a turn of the event loop between, so a big one (an .ics import: tens
   * of MB of JSON) does not stop the API from answering; it is written whole or not at all.
   */
  async save (calendar: CalendarRecord, changes: ReplicaChanges, isNew = false): Promise<void> {
    const prefix = `data/${calendar.id}/`
    const records = replicaRecords(changes)
    const batch = this.db.batch()
    try {
      if (isNew) batch.put(`cal/${calendar.id}`, encode(calendar))
      for (const key of records.dels) batch.del(prefix + key)
      const breathe = breather()
      for (const [key, value] of records.puts) {
        batch.put(prefix + key, encode(value))
        await breathe()
      }
    } catch (err) {
      await batch.close()
      throw err
    }
    await batch.write()
  }
}
