// Chord records on disk, in the app database's `dht-chord` sublevel, keyed `<keyId>/<publisher>`.
// Every change is one LevelDB batch, so a crash leaves each record either old or new, never half.
// What it takes is bounded by ../store-limits.ts; the counts are taken from disk when first needed.
import { appSublevel, type AppDatabase, type AppSublevel } from '../../store/app-store.ts'
import { MAX_RECORDS, WireRecord } from './protocol.ts'
import { isExpired, newer, type ChordRecord } from './records.ts'
import { DEFAULT_STORE_LIMITS, StoreUsage, storeRefusal, type StoreLimits } from '../store-limits.ts'

const encode = (record: ChordRecord): Uint8Array => new TextEncoder().encode(JSON.stringify(record))

export class ChordRecordStore {
  private readonly db: AppSublevel
  /** The records this peer itself put (key → value): kept across restarts so it can put them again. */
  private readonly own: AppSublevel
  private readonly limits: StoreLimits
  private usage: StoreUsage | undefined

  constructor (db: AppDatabase, limits: StoreLimits = DEFAULT_STORE_LIMITS) {
    this.db = appSublevel(db, 'dht-chord')
    this.own = appSublevel(db, 'dht-chord-own')
    this.limits = limits
  }

  /**
   * Stores records, keeping for each (key, publisher) the copy that lives longest; records over the
   * store's limits are left out. Returns how many changed.
   */
  async putMany (records: readonly ChordRecord[], now: number): Promise<number> {
    const usage = await this.counted()
    const writes: Array<{ type: 'put', key: string, value: Uint8Array }> = []
    const added: string[] = []
    for (const record of records) {
      if (isExpired(record, now)) continue
      const dbKey = `${record.keyId}/${record.publisher}`
      const held = await this.read(dbKey)
      if (newer(held, record) !== record) continue
      const value = encode(record)
      if (storeRefusal(record, value.byteLength, held !== undefined, usage, this.limits) !== undefined) continue
      if (held === undefined) { usage.added(record.publisher); added.push(record.publisher) }
      writes.push({ type: 'put', key: dbKey, value })
    }
    try {
      if (writes.length > 0) await this.db.batch(writes)
    } catch (err) {
      for (const publisher of added) usage.removed(publisher)
      throw err
    }
    return writes.length
  }

  /** The live records under one key id, at most MAX_RECORDS. */
  async get (keyId: string, now: number): Promise<ChordRecord[]> {
    const out: ChordRecord[] = []
    for await (const [, value] of this.db.iterator({ gt: `${keyId}/`, lt: `${keyId}/\xff` })) {
      const record = decode(value as Uint8Array)
      if (record !== undefined && !isExpired(record, now)) out.push(record)
      if (out.length >= MAX_RECORDS) break
    }
    return out
  }

  /** Every live record (for replication and hand-over). */
  async all (now: number): Promise<ChordRecord[]> {
    const out: ChordRecord[] = []
    for await (const [, value] of this.db.iterator()) {
      const record = decode(value as Uint8Array)
      if (record !== undefined && !isExpired(record, now)) out.push(record)
    }
    return out
  }

  /** Deletes records past their expiry (records live only while their publishers re-put them). */
  async expire (now: number): Promise<number> {
    const usage = await this.counted()
    const deletes: Array<{ type: 'del', key: string }> = []
    const gone: string[] = []
    for await (const [key, value] of this.db.iterator()) {
      const record = decode(value as Uint8Array)
      if (record === undefined || isExpired(record, now)) deletes.push({ type: 'del', key: key as string })
      if (record !== undefined && isExpired(record, now)) gone.push(record.publisher)
    }
    if (deletes.length > 0) await this.db.batch(deletes)
    for (const publisher of gone) usage.removed(publisher)
    return deletes.length
  }

  async saveOwn (key: string, value: string): Promise<void> {
    await this.own.put(key, new TextEncoder().encode(value))
  }

  async ownRecords (): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for await (const [key, value] of this.own.iterator()) out.set(key as string, new TextDecoder().decode(value as Uint8Array))
    return out
  }

  /** The store's counts, taken from disk the first time (after a restart the store is not empty). */
  private async counted (): Promise<StoreUsage> {
    if (this.usage !== undefined) return this.usage
    const usage = new StoreUsage()
    for await (const [, value] of this.db.iterator()) {
      const record = decode(value as Uint8Array)
      if (record !== undefined) usage.added(record.publisher)
    }
    this.usage ??= usage
    return this.usage
  }

  private async read (dbKey: string): Promise<ChordRecord | undefined> {
    const value = await this.db.get(dbKey)
    return value === undefined ? undefined : decode(value as Uint8Array)
  }
}

/** Our own disk is checked like the wire: a damaged entry reads as absent, not as a crash. */
function decode (value: Uint8Array): ChordRecord | undefined {
  try {
    const parsed = WireRecord.safeParse(JSON.parse(new TextDecoder().decode(value)))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
