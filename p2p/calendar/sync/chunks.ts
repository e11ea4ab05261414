// Framing of a Bayou batch, both ways (pure). Sending cuts a batch into frames without breaking the
// prefix property: frames go out in log order and every commit notice travels with, or after, the write
// it commits, so each frame can be applied (and persisted) on its own and a sync cut off midway leaves
// the receiver with a valid prefix. A stable database goes first, in parts, reassembled on receipt.
import { WireError } from '../../wire/index.ts'
import { Snapshot, type Batch } from '../bayou/messages.ts'
import { STABLE_TABLES, type StableDatabase } from '../bayou/rows.ts'
import type { CommitNotice, Write } from '../bayou/write.ts'
import { writeId } from '../bayou/order.ts'
import { MAX_SNAPSHOT_BYTES, MAX_WRITES_PER_FRAME, TARGET_CHUNK_BYTES, type DataFrame, type Frame } from './protocol.ts'

type StableTable = keyof StableDatabase

export function framesOf (batch: Batch, targetBytes = TARGET_CHUNK_BYTES): Frame[] {
  const frames: Frame[] = []
  if (batch.snapshot != null) frames.push(...snapshotFrames(batch.snapshot, targetBytes))
  let writes: Write[] = []
  let commits: CommitNotice[] = []
  let bytes = 0
  const cut = (): void => {
    if (writes.length + commits.length > 0) frames.push({ type: 'writes', writes, commits })
    writes = []
    commits = []
    bytes = 0
  }
  const makeRoom = (item: unknown): void => {
    const size = JSON.stringify(item).length
    if (bytes + size > targetBytes || writes.length >= MAX_WRITES_PER_FRAME || commits.length >= MAX_WRITES_PER_FRAME) cut()
    bytes += size
  }
  const position = new Map(batch.writes.map((w, i) => [writeId(w), i]))
  let next = 0
  const sendWritesThrough = (last: number): void => {
    for (; next <= last; next++) {
      const w = batch.writes[next] as Write
      makeRoom(w)
      writes.push(w)
    }
  }
  for (const notice of batch.commits) {
    // Committed writes come first in the batch, in CSN order: send up to this one, then its notice.
    sendWritesThrough(position.get(writeId(notice)) ?? -1)
    makeRoom(notice)
    commits.push(notice)
  }
  sendWritesThrough(batch.writes.length - 1)
  cut()
  return frames
}

/** A stable database as parts of about `targetBytes` of rows each, then its header with empty tables. */
function snapshotFrames (snapshot: Snapshot, targetBytes: number): Frame[] {
  const frames: Frame[] = []
  for (const table of STABLE_TABLES) {
    let rows: Record<string, unknown> = {}
    let bytes = 0
    for (const [key, value] of Object.entries(snapshot.db[table])) {
      const size = key.length + JSON.stringify(value).length
      if (bytes + size > targetBytes && bytes > 0) {
        frames.push({ type: 'snapshot-part', table, rows })
        rows = {}
        bytes = 0
      }
      rows[key] = value
      bytes += size
    }
    if (bytes > 0) frames.push({ type: 'snapshot-part', table, rows })
  }
  frames.push({ type: 'snapshot', snapshot: { ...snapshot, db: { meta: {}, events: {}, replicas: {}, invites: {} } } })
  return frames
}

/**
 * The receiving side of the framing: collects the parts of a stable database (up to MAX_SNAPSHOT_BYTES)
 * until its header completes it, and passes write frames through.
 */
export class SnapshotAssembler {
  private readonly tables = new Map<StableTable, Map<string, unknown>>()
  private bytes = 0

  /** The frame to apply, or undefined while a stable database is still arriving. */
  take (frame: Exclude<Frame, { type: 'end' }>, size: number): DataFrame | undefined {
    if (frame.type === 'writes') return frame
    if (frame.type === 'snapshot') return { type: 'snapshot', snapshot: this.complete(frame.snapshot) }
    this.add(frame.table, frame.rows, size)
    return undefined
  }

  private add (table: StableTable, rows: Record<string, unknown>, size: number): void {
    this.bytes += size
    if (this.bytes > MAX_SNAPSHOT_BYTES) throw new WireError('too-large', `stable database over ${MAX_SNAPSHOT_BYTES} bytes`)
    const into = this.tables.get(table) ?? new Map<string, unknown>()
    for (const [key, value] of Object.entries(rows)) into.set(key, value)
    this.tables.set(table, into)
  }

  /** The whole snapshot, its rows checked against their schemas. */
  private complete (header: Snapshot): Snapshot {
    const db = Object.fromEntries(STABLE_TABLES.map(t => [t, Object.fromEntries(this.tables.get(t) ?? [])]))
    const parsed = Snapshot.safeParse({ ...header, db })
    if (!parsed.success) throw new WireError('invalid', `stable database: ${parsed.error.issues.slice(0, 3).map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    this.tables.clear()
    this.bytes = 0
    return parsed.data
  }
}

/** A received frame as the Bayou batch it stands for. */
export function batchOf (frame: DataFrame): Batch {
  return frame.type === 'snapshot' ? { snapshot: frame.snapshot, writes: [], commits: [] } : { writes: frame.writes, commits: frame.commits }
}
