// How one replica is laid out as key/value records (under data/<calendarId>/ in store.ts):
//   meta                  → ReplicaMeta
//   row/<table>/<key>     → a database row
//   log/c/<csn, 16 digits> → a committed log entry (zero-padded, so keys sort in CSN order)
//   log/t/<write id>      → a tentative log entry
// Pure: the replica's rules know nothing of keys, the store nothing of Bayou.
import { BayouError } from './bayou/errors.ts'
import { TABLES, type DatabaseSnapshot } from './bayou/database.ts'
import type { LogEntry, ReplicaChanges, ReplicaMeta, ReplicaState } from './bayou/replica.ts'

export interface RecordChanges { puts: Array<[string, unknown]>, dels: string[] }

const committedKey = (csn: number): string => `log/c/${String(csn).padStart(16, '0')}`
const tentativeKey = (writeId: string): string => `log/t/${writeId}`

/** A replica's changes as records to put and delete. */
export function replicaRecords (changes: ReplicaChanges): RecordChanges {
  const out: RecordChanges = { puts: [['meta', changes.meta]], dels: [] }
  for (const { table, key, value } of changes.rows) {
    if (value === undefined) out.dels.push(`row/${table}/${key}`)
    else out.puts.push([`row/${table}/${key}`, value])
  }
  const log = (key: string, entry: LogEntry | null): void => {
    if (entry == null) out.dels.push(key)
    else out.puts.push([key, entry])
  }
  for (const [csn, entry] of changes.committed) log(committedKey(csn), entry)
  for (const [id, entry] of changes.tentative) log(tentativeKey(id), entry)
  return out
}

/** The replica's state from its stored records (they were written by replicaRecords). */
export function replicaState (records: Iterable<[string, unknown]>): ReplicaState {
  let meta: ReplicaMeta | undefined
  const rows: DatabaseSnapshot = { meta: {}, events: {}, replicas: {}, invites: {}, slots: {} }
  const committed: LogEntry[] = []
  const tentative: LogEntry[] = []
  for (const [key, value] of records) {
    if (key === 'meta') meta = value as ReplicaMeta
    else if (key.startsWith('row/')) {
      const rest = key.slice(4)
      const slash = rest.indexOf('/')
      const table = TABLES.find(t => t === rest.slice(0, slash))
      if (table !== undefined) rows[table][rest.slice(slash + 1)] = value
    } else if (key.startsWith('log/c/')) committed.push(value as LogEntry)
    else if (key.startsWith('log/t/')) tentative.push(value as LogEntry)
  }
  if (meta == null) throw new BayouError('not-member', 'no replica state stored')
  return { meta, rows, committed, tentative }
}
