// Framing of a Bayou batch, both ways (pure). Sending cuts a batch into frames without breaking the
// prefix property: frames go out in log order and every commit notice travels with, or after, the write
// it commits, so each frame can be applied (and persisted) on its own and a sync cut off midway leaves
// the receiver with a valid prefix. Within a frame, each replica's writes form one run and each
// primary's notices another, each ending at an entry whose signature the sender holds (the author's
// every one; a forwarder's, where a run it received ended): a frame is cut only between such pieces.
// A stable database goes first, in parts, reassembled on receipt.
import { WireError } from '../../wire/index.ts'
import { Snapshot, type Batch } from '../bayou/messages.ts'
import { STABLE_TABLES, type StableDatabase } from '../bayou/rows.ts'
import type { CommitNotice, Write } from '../bayou/write.ts'
import { CHAIN_START } from '../bayou/chain.ts'
import { MAX_SNAPSHOT_BYTES, MAX_WRITES_PER_FRAME, TARGET_CHUNK_BYTES, type CommitRun, type DataFrame, type Frame, type WriteRun } from './protocol.ts'

type StableTable = keyof StableDatabase

const signed = (x: { sig?: string, v1?: string }): boolean => x.sig !== undefined || x.v1 !== undefined

/** For each entry, the index of the last entry of its piece: the next one of its chain that is signed. */
function pieceEnds<T> (items: readonly T[], chainOf: (item: T) => string, isEnd: (item: T) => boolean): Int32Array {
  const ends = new Int32Array(items.length)
  const open = new Map<string, number>()
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as T
    const chain = chainOf(item)
    if (isEnd(item) || !open.has(chain)) open.set(chain, i)
    ends[i] = open.get(chain) as number
  }
  return ends
}

/** The frames of a batch, made one at a time as the sender asks (it awaits each send in between). */
export function * framesOf (batch: Batch, targetBytes = TARGET_CHUNK_BYTES): Generator<Frame> {
  if (batch.snapshot != null) yield * snapshotFrames(batch.snapshot, targetBytes)
  const { writes, commits } = batch
  // A replica's writes up to one it holds a signature for; a primary's notices likewise.
  const writeEnds = pieceEnds(writes, w => w.replica, signed)
  const noticeEnds = pieceEnds(commits, n => n.primary, signed)
  // The committed writes come first, in CSN order, as do the notices: a notice's write is the next
  // committed write not yet matched, or is not in the batch (the receiver has it).
  let matched = 0
  const positionOf = (n: CommitNotice): number => {
    const w = writes[matched]
    if (w === undefined || w.stamp !== n.stamp || w.replica !== n.replica) return -1
    return matched++
  }
  const sent = new Uint8Array(writes.length)
  let frameWrites: Write[] = []
  let frameCommits: CommitNotice[] = []
  let bytes = 0
  const full = (adding: number, size: number): boolean =>
    frameWrites.length + frameCommits.length > 0 && (bytes + size > targetBytes || frameWrites.length + frameCommits.length + adding > MAX_WRITES_PER_FRAME)
  const take = (): Frame | undefined => {
    if (frameWrites.length + frameCommits.length === 0) return undefined
    const frame = writesFrame(frameWrites, frameCommits)
    frameWrites = []
    frameCommits = []
    bytes = 0
    return frame
  }
  // The next write of the same replica, to walk a piece without scanning the others' writes.
  const nextOfReplica = new Int32Array(writes.length).fill(-1)
  const seen = new Map<string, number>()
  for (let i = writes.length - 1; i >= 0; i--) {
    const replica = (writes[i] as Write).replica
    nextOfReplica[i] = seen.get(replica) ?? -1
    seen.set(replica, i)
  }
  let unsent = 0
  /** Every write up to index `last` not sent yet, each with the rest of its piece. */
  function * writesThrough (last: number): Generator<Frame> {
    for (; unsent <= last; unsent++) {
      if (sent[unsent] === 1) continue
      const piece: Write[] = []
      let size = 0
      for (let k = unsent; k !== -1 && k <= (writeEnds[unsent] as number); k = nextOfReplica[k] as number) {
        const w = writes[k] as Write
        piece.push(w)
        size += JSON.stringify(w.op).length + 16
        sent[k] = 1
      }
      if (full(piece.length, size)) yield take() as Frame
      frameWrites.push(...piece)
      bytes += size
    }
  }
  for (let i = 0; i < commits.length;) {
    const end = noticeEnds[i] as number
    const piece = commits.slice(i, end + 1)
    // Committed writes come first in the batch, in CSN order: send them before their notices.
    const needed = piece.reduce((m, n) => Math.max(m, positionOf(n)), -1)
    yield * writesThrough(needed)
    const size = piece.length * 24
    if (full(piece.length, size)) yield take() as Frame
    frameCommits.push(...piece)
    bytes += size
    i = end + 1
  }
  yield * writesThrough(writes.length - 1)
  const last = take()
  if (last !== undefined) yield last
}

/** A frame's writes grouped into runs (by replica, in order of first appearance) and its notices into runs by primary. */
function writesFrame (writes: readonly Write[], commits: readonly CommitNotice[]): Frame {
  const runs = new Map<string, WriteRun>()
  const lastStamp = new Map<string, number>()
  for (const w of writes) {
    let run = runs.get(w.replica)
    if (run === undefined) {
      run = { replica: w.replica, author: w.author, prev: w.v1 !== undefined ? CHAIN_START : (w.prev ?? CHAIN_START), writes: [] }
      runs.set(w.replica, run)
    }
    const delta = w.stamp - (lastStamp.get(w.replica) ?? 0)
    lastStamp.set(w.replica, w.stamp)
    run.writes.push(w.v1 !== undefined ? [delta, w.op, w.v1] : [delta, w.op])
    if (w.sig !== undefined) run.sig = w.sig
    else if (w.v1 === undefined) delete run.sig // only the run's last write's signature vouches for it
  }
  const commitRuns: CommitRun[] = []
  let current: CommitRun | undefined
  for (const n of commits) {
    if (current === undefined || current.primary !== n.primary || current.csn + current.notices.length !== n.csn) {
      current = { primary: n.primary, csn: n.csn, prev: n.prev ?? CHAIN_START, notices: [] }
      commitRuns.push(current)
    }
    current.notices.push(n.v1 !== undefined ? [n.replica, n.stamp, n.v1] : [n.replica, n.stamp])
    if (n.sig !== undefined) current.sig = n.sig
    else delete current.sig
  }
  return { type: 'writes', runs: [...runs.values()], commits: commitRuns }
}

/** A stable database as parts of about `targetBytes` of rows each, then its header with empty tables. */
function * snapshotFrames (snapshot: Snapshot, targetBytes: number): Generator<Frame> {
  for (const table of STABLE_TABLES) {
    let rows: Record<string, unknown> = {}
    let bytes = 0
    for (const [key, value] of Object.entries(snapshot.db[table])) {
      const size = key.length + JSON.stringify(value).length
      if (bytes + size > targetBytes && bytes > 0) {
        yield { type: 'snapshot-part', table, rows }
        rows = {}
        bytes = 0
      }
      rows[key] = value
      bytes += size
    }
    if (bytes > 0) yield { type: 'snapshot-part', table, rows }
  }
  yield { type: 'snapshot', snapshot: { ...snapshot, db: { meta: {}, events: {}, replicas: {}, invites: {} } } }
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

/** A received frame as the Bayou batch it stands for: each run's link on its first entry, its signature on its last. */
export function batchOf (frame: DataFrame, calendar: string): Batch {
  if (frame.type === 'snapshot') return { snapshot: frame.snapshot, writes: [], commits: [] }
  const writes: Write[] = []
  for (const run of frame.runs) {
    let stamp = 0
    run.writes.forEach(([delta, op, v1], i) => {
      stamp += delta
      const w: Write = { calendar, replica: run.replica, stamp, author: run.author, op }
      if (v1 !== undefined) w.v1 = v1
      if (i === 0) w.prev = run.prev
      if (i === run.writes.length - 1 && run.sig !== undefined) w.sig = run.sig
      writes.push(w)
    })
  }
  const commits: CommitNotice[] = []
  for (const run of frame.commits) {
    run.notices.forEach(([replica, stamp, v1], i) => {
      const n: CommitNotice = { calendar, csn: run.csn + i, replica, stamp, primary: run.primary }
      if (v1 !== undefined) n.v1 = v1
      if (i === 0) n.prev = run.prev
      if (i === run.notices.length - 1 && run.sig !== undefined) n.sig = run.sig
      commits.push(n)
    })
  }
  return { writes, commits }
}
