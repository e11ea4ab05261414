// The database that update functions read and change: a few tables of JSON rows. Every change made
// while executing a tentative write is recorded in that write's undo log, so rolling the write back
// costs what the write itself cost (Bayou's undo log, Figure 4).

/** `slots` indexes booked events by room and day, so a dependency check reads one day, not the calendar. */
export type TableName = 'meta' | 'events' | 'replicas' | 'invites' | 'slots'
export const TABLES: readonly TableName[] = ['meta', 'events', 'replicas', 'invites', 'slots']

/** One row's value before a write changed it; `undefined` means the row did not exist. */
export interface UndoRecord { table: TableName, key: string, before: unknown }

export type DatabaseSnapshot = Record<TableName, Record<string, unknown>>

export class Database {
  private readonly tables: Record<TableName, Map<string, unknown>>
  /** Rows changed since the last takeDirty(), for writing to disk. */
  private readonly dirty = new Map<string, { table: TableName, key: string }>()

  constructor (snapshot?: DatabaseSnapshot) {
    this.tables = { meta: new Map(), events: new Map(), replicas: new Map(), invites: new Map(), slots: new Map() }
    if (snapshot != null) {
      for (const table of TABLES) {
        for (const [key, value] of Object.entries(snapshot[table] ?? {})) this.tables[table].set(key, value)
      }
    }
  }

  get<T> (table: TableName, key: string): T | undefined {
    return this.tables[table].get(key) as T | undefined
  }

  rows<T> (table: TableName): Array<[string, T]> {
    return [...this.tables[table].entries()] as Array<[string, T]>
  }

  /** Sets (or, with undefined, deletes) a row, recording its old value in `undo` when given. */
  put (table: TableName, key: string, value: unknown, undo?: UndoRecord[]): void {
    const map = this.tables[table]
    undo?.push({ table, key, before: map.get(key) })
    if (value === undefined) map.delete(key)
    else map.set(key, value)
    this.dirty.set(rowKey(table, key), { table, key })
  }

  /** Replaces every row with the snapshot's (a stable database received from a peer). */
  reset (snapshot: DatabaseSnapshot): void {
    for (const table of TABLES) {
      for (const key of [...this.tables[table].keys()]) if (!(key in (snapshot[table] ?? {}))) this.put(table, key, undefined)
      for (const [key, value] of Object.entries(snapshot[table] ?? {})) this.put(table, key, value)
    }
  }

  /** Undoes one write's changes, newest first. */
  rollback (undo: readonly UndoRecord[]): void {
    for (let i = undo.length - 1; i >= 0; i--) {
      const record = undo[i] as UndoRecord
      this.put(record.table, record.key, record.before)
    }
  }

  snapshot (): DatabaseSnapshot {
    const out = { meta: {}, events: {}, replicas: {}, invites: {}, slots: {} } as DatabaseSnapshot
    for (const table of TABLES) {
      // Sorted, so two equal databases give byte-equal snapshots.
      for (const key of [...this.tables[table].keys()].sort()) out[table][key] = this.tables[table].get(key)
    }
    return out
  }

  /** The rows changed since the last call (value undefined: deleted). */
  takeDirty (): Array<{ table: TableName, key: string, value: unknown }> {
    const out = [...this.dirty.values()].map(({ table, key }) => ({ table, key, value: this.tables[table].get(key) }))
    this.dirty.clear()
    return out
  }
}

function rowKey (table: TableName, key: string): string {
  return `${table}/${key}`
}
