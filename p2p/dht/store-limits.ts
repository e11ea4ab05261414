// Pure: how much a node takes from others into its DHT store. Peers are untrusted, so one record may
// not be large, the store may not grow without bound, and no single publisher may fill it. Replacing a
// record already held (same key, same publisher) never counts against the limits.
export interface StoreLimits {
  /** Largest record, in bytes as stored. */
  maxRecordBytes: number
  /** Most records held in all. */
  maxRecords: number
  /** Most records held from any one publisher. */
  maxPerPublisher: number
}

export const DEFAULT_STORE_LIMITS: StoreLimits = { maxRecordBytes: 8 * 1024, maxRecords: 50_000, maxPerPublisher: 1_000 }

export type StoreRefusal = 'record-too-large' | 'store-full' | 'publisher-quota'

/** How many records the store holds, in all and per publisher. */
export class StoreUsage {
  private totalCount = 0
  private readonly perPublisher = new Map<string, number>()

  get total (): number {
    return this.totalCount
  }

  of (publisher: string): number {
    return this.perPublisher.get(publisher) ?? 0
  }

  added (publisher: string): void {
    this.totalCount++
    this.perPublisher.set(publisher, this.of(publisher) + 1)
  }

  removed (publisher: string): void {
    const left = this.of(publisher) - 1
    if (left <= 0) this.perPublisher.delete(publisher)
    else this.perPublisher.set(publisher, left)
    this.totalCount = Math.max(0, this.totalCount - 1)
  }
}

/** Why a record may not be stored, or undefined if it may. `replacing`: the store already holds this (key, publisher). */
export function storeRefusal (record: { publisher: string }, bytes: number, replacing: boolean, usage: StoreUsage, limits: StoreLimits): StoreRefusal | undefined {
  if (bytes > limits.maxRecordBytes) return 'record-too-large'
  if (replacing) return undefined
  if (usage.total >= limits.maxRecords) return 'store-full'
  if (usage.of(record.publisher) >= limits.maxPerPublisher) return 'publisher-quota'
  return undefined
}
