// One replica of one calendar, as in Bayou: an ordered write log (committed prefix in CSN order, then
// the tentative writes in <stamp, replica> order), the database those writes produce, an undo log per
// tentative write, a Lamport clock and a version vector. Pure: no I/O, the wall clock is passed in.
import { BayouError } from './errors.ts'
import { Database, type DatabaseSnapshot, type TableName, type UndoRecord } from './database.ts'
import { childReplicaId, compareStamps, nextStamp, parseReplicaId, writeId, ROOT_REPLICA, type ReplicaId } from './order.ts'
import type { Op, Outcome } from './ops.ts'
import { execute, reindexSlots } from './update-functions.ts'
import { STABLE_TABLES, type ReplicaRow, type StableDatabase } from './rows.ts'
import { coverage, covers, type VersionVector } from './version-vector.ts'
import type { Signer } from './signing.ts'
import type { Batch, Snapshot, Summary } from './messages.ts'
import { linkCommit, signWrite, v1CommitSignatureValid, v1WriteSignatureValid, type CommitNotice, type Write } from './write.ts'
import { CHAIN_START, commitHash, headSignatureValid, signHead, writeHash } from './chain.ts'

/** The primary signs the commit chain's head at least this often within one run of commits. */
export const COMMIT_SIGN_EVERY = 1024

export interface LogEntry {
  write: Write
  /** Commit sequence number; null while tentative. */
  csn: number | null
  /** What the write did at its current place in the log. */
  outcome: Outcome
  /**
   * What it did when it first ran on this replica (null: not yet run). Local, not shared: it is what
   * this replica showed before a commit or a write ordered earlier changed the outcome.
   */
  firstOutcome: Outcome | null
  /** How to undo it; kept only while tentative (committed writes are never rolled back). */
  undo: UndoRecord[] | null
  /** The primary's signed notice of the CSN, forwarded to other replicas by anti-entropy. */
  notice: CommitNotice | null
}

export interface ReceiveResult {
  accepted: number
  duplicates: number
  committed: number
  rolledBack: number
  replayed: number
  snapshot: boolean
  /** Commit notices this replica issued as primary for what it just received. */
  issued: CommitNotice[]
  /** Writes that, replayed at their new place in the log, did something else than before. */
  changedOutcomes: Array<{ write: Write, before: Outcome, after: Outcome }>
}

/** Everything besides the log and the database, as persisted. */
export interface ReplicaMeta {
  calendar: string
  id: ReplicaId
  clock: number
  vv: VersionVector
  cvv: VersionVector
  csn: number
  osn: number
  committedPrimary: ReplicaId
  /** Replicas created by committed writes → retired by a committed write. */
  committedReplicas: Record<ReplicaId, boolean>
  /** Per replica, the hash of its newest write here (absent: none yet, or a version-2 write). */
  heads: Record<ReplicaId, string>
  /** The same for its newest committed write: what a stable database hands on. */
  committedHeads: Record<ReplicaId, string>
  /** The commit chain's hash at `csn` (absent: no notice yet, or a version-2 notice). */
  commitHead?: string
}

/**
 * What changed since the last takeChanges(), to be stored as one atomic batch; `null`/`undefined` means
 * deleted. How it is laid out on disk is the store's business (calendar/replica-records.ts).
 */
export interface ReplicaChanges {
  meta: ReplicaMeta
  rows: Array<{ table: TableName, key: string, value: unknown }>
  /** Committed log entries by CSN. */
  committed: Array<[number, LogEntry | null]>
  /** Tentative log entries by write id. */
  tentative: Array<[string, LogEntry | null]>
}

/** Everything a replica is made of, as stored: what restore() rebuilds it from. */
export interface ReplicaState {
  meta: ReplicaMeta
  rows: DatabaseSnapshot
  committed: LogEntry[]
  tentative: LogEntry[]
}

const PENDING: Outcome = { ok: false, detail: 'not yet run' }

export class Replica {
  readonly calendar: string
  readonly id: ReplicaId
  private readonly signer: Signer
  private clock: number
  private vv: VersionVector
  private cvv: VersionVector
  private csnValue: number
  private osnValue: number
  private committedPrimary: ReplicaId
  private committedReplicas: Record<ReplicaId, boolean>
  private heads: Record<ReplicaId, string>
  private committedHeads: Record<ReplicaId, string>
  private commitHead: string | undefined
  private committed: LogEntry[]
  private tentative: LogEntry[]
  private readonly tentativeById = new Map<string, LogEntry>()
  private db: Database
  private readonly dirtyCommitted = new Map<number, LogEntry | null>()
  private readonly dirtyTentative = new Map<string, LogEntry | null>()

  private constructor (meta: ReplicaMeta, signer: Signer, db: Database, committed: LogEntry[], tentative: LogEntry[]) {
    this.calendar = meta.calendar
    this.id = meta.id
    this.signer = signer
    this.clock = meta.clock
    this.vv = meta.vv
    this.cvv = meta.cvv
    this.csnValue = meta.csn
    this.osnValue = meta.osn
    this.committedPrimary = meta.committedPrimary
    this.committedReplicas = meta.committedReplicas
    // Stored by version 2: no chains yet, each replica's next chain write links to CHAIN_START.
    this.heads = meta.heads ?? {}
    this.committedHeads = meta.committedHeads ?? {}
    this.commitHead = meta.commitHead
    this.committed = committed
    this.tentative = tentative
    for (const entry of tentative) this.tentativeById.set(writeId(entry.write), entry)
    this.db = db
  }

  /** A new calendar: this replica is its root and primary, and the genesis write is committed. */
  static create (options: { calendar: string, name: string, signer: Signer, now: number }): Replica {
    const replica = Replica.joining({ calendar: options.calendar, id: ROOT_REPLICA, signer: options.signer })
    replica.committedPrimary = ROOT_REPLICA
    replica.issue({ kind: 'create', name: options.name }, options.now)
    return replica
  }

  /** A replica that has been given id `id` (<Tz,X>) and still has to receive the calendar by anti-entropy. */
  static joining (options: { calendar: string, id: ReplicaId, signer: Signer }): Replica {
    const tz = parseReplicaId(options.id)?.tz ?? 0
    const meta: ReplicaMeta = {
      calendar: options.calendar,
      id: options.id,
      clock: tz, // our writes must come after the write that created us
      vv: { [ROOT_REPLICA]: 0 },
      cvv: {},
      csn: 0,
      osn: 0,
      committedPrimary: ROOT_REPLICA,
      committedReplicas: {},
      heads: {},
      committedHeads: {}
    }
    return new Replica(meta, options.signer, new Database(), [], [])
  }

  /** Rebuilds a replica from what takeChanges() gave out. */
  static restore (signer: Signer, state: ReplicaState): Replica {
    const committed = [...state.committed].map(fromVersion2).sort((a, b) => (a.csn as number) - (b.csn as number))
    const tentative = [...state.tentative].map(fromVersion2).sort((a, b) => compareStamps(a.write, b.write))
    return new Replica(state.meta, signer, new Database(state.rows), committed, tentative)
  }

  get csn (): number { return this.csnValue }
  get osn (): number { return this.osnValue }
  get primary (): ReplicaId { return this.committedPrimary }
  get database (): Database { return this.db }

  versionVector (): VersionVector {
    return { ...this.vv }
  }

  /** The whole log in order: committed (after the OSN) then tentative. */
  log (): readonly LogEntry[] {
    return [...this.committed, ...this.tentative]
  }

  tentativeCount (): number {
    return this.tentative.length
  }

  /** Events some tentative write touched: their current state may still change. */
  tentativeEventIds (): Set<string> {
    const ids = new Set<string>()
    for (const entry of this.tentative) for (const record of entry.undo ?? []) if (record.table === 'events') ids.add(record.key)
    return ids
  }

  isActiveMember (): boolean {
    const row = this.db.get<ReplicaRow>('replicas', this.id)
    return row != null && !row.retired
  }

  /** Issues a write of ours: stamped by the Lamport clock, signed, run at the end of the log. */
  issue (op: Op, now: number): { write: Write, outcome: Outcome, issued: CommitNotice[] } {
    if (op.kind === 'create' ? this.db.get('meta', 'name') !== undefined : !this.isActiveMember()) {
      throw new BayouError('not-member', `replica ${this.id} cannot write to this calendar`)
    }
    const stamp = nextStamp(this.clock, now)
    const write = signWrite(this.signer, { calendar: this.calendar, replica: this.id, stamp, op }, this.heads[this.id] ?? CHAIN_START)
    this.noteWrite(write)
    const entry: LogEntry = { write, csn: null, outcome: PENDING, firstOutcome: null, undo: [], notice: null }
    // Our clock is past every stamp seen, so the write sorts last: nothing to roll back.
    entry.outcome = execute(this.db, write, entry.undo as UndoRecord[])
    entry.firstOutcome = entry.outcome
    this.tentative.push(entry)
    this.tentativeById.set(writeId(write), entry)
    this.dirtyTentative.set(writeId(write), entry)
    return { write, outcome: entry.outcome, issued: this.commitPending() }
  }

  /** As primary: gives every tentative write a CSN, in log order (so nothing is reordered). */
  commitPending (): CommitNotice[] {
    const notices: CommitNotice[] = []
    // A committed handoff in the middle stops us: the rest is the new primary's to commit.
    while (this.committedPrimary === this.id && notices.length < this.tentative.length) {
      const entry = this.tentative[notices.length] as LogEntry
      const signNow = (notices.length + 1) % COMMIT_SIGN_EVERY === 0 // so a forwarder can cut long runs
      const notice = linkCommit(this.signer, { calendar: this.calendar, csn: this.csnValue + 1, replica: entry.write.replica, stamp: entry.write.stamp }, this.commitHead ?? CHAIN_START, signNow)
      this.markCommitted(entry, notice)
      this.committed.push(entry)
      notices.push(notice)
    }
    // The run's last notice is signed: it vouches for the run (it ends here, or at our handoff).
    const end = this.committed[this.committed.length - 1] as LogEntry
    if (notices.length > 0 && end.notice?.sig === undefined) {
      const notice = end.notice as CommitNotice
      end.notice = { ...notice, sig: signHead(this.signer, notice.hash as string) }
      notices[notices.length - 1] = end.notice
    }
    this.tentative = this.tentative.slice(notices.length)
    return notices
  }

  summary (): Summary {
    return { vv: { ...this.vv }, csn: this.csnValue }
  }

  /** Anti-entropy, sending side: exactly what the receiver lacks, in log order. */
  batchFor (receiver: Summary): Batch {
    const batch: Batch = { writes: [], commits: [] }
    if (receiver.csn < this.osnValue) {
      // We discarded writes it still needs: send the stable database instead of that log prefix.
      batch.snapshot = this.stableSnapshot()
    } else {
      for (const entry of this.committed) {
        if ((entry.csn as number) <= receiver.csn) continue
        if (!covers(receiver.vv, entry.write)) batch.writes.push(entry.write)
        batch.commits.push(entry.notice as CommitNotice)
      }
    }
    for (const entry of this.tentative) {
      const inSnapshot = batch.snapshot != null && entry.write.stamp <= (this.cvv[entry.write.replica] ?? 0)
      if (!inSnapshot && !covers(receiver.vv, entry.write)) batch.writes.push(entry.write)
    }
    return batch
  }

  /** Anti-entropy, receiving side. Checks the whole batch first: a bad one throws and changes nothing. */
  receive (batch: Batch): ReceiveResult {
    const plan = this.check(batch)
    const result: ReceiveResult = { accepted: plan.writes.length, duplicates: plan.duplicates, committed: plan.commits.length, rolledBack: 0, replayed: 0, snapshot: false, issued: [], changedOutcomes: [] }
    let applied = this.tentative
    if (plan.snapshot != null) {
      result.rolledBack += this.rollback(applied, 0)
      this.installSnapshot(plan.snapshot)
      applied = []
      result.snapshot = true
    }
    this.insertTentative(plan.writes)
    const newlyCommitted = plan.commits.map(notice => this.tentativeById.get(writeId(notice)) as LogEntry)
    const committing = new Set(newlyCommitted)
    const stillTentative = this.tentative.filter(e => !committing.has(e))
    // The new order: committed writes first, in CSN order, then the tentative ones. Only the part
    // after the longest unchanged prefix is rolled back and replayed.
    const sequence = [...newlyCommitted, ...stillTentative]
    let same = 0
    while (same < applied.length && same < sequence.length && applied[same] === sequence[same]) same++
    result.rolledBack += this.rollback(applied, same)
    plan.commits.forEach((notice, i) => { this.markCommitted(newlyCommitted[i] as LogEntry, notice) })
    for (let i = same; i < sequence.length; i++) {
      const entry = sequence[i] as LogEntry
      const undo: UndoRecord[] = []
      const before = entry.outcome
      entry.outcome = execute(this.db, entry.write, undo)
      if (before !== PENDING && before.detail !== entry.outcome.detail) result.changedOutcomes.push({ write: entry.write, before, after: entry.outcome })
      entry.firstOutcome ??= entry.outcome
      entry.undo = entry.csn == null ? undo : null
      if (entry.csn == null) this.dirtyTentative.set(writeId(entry.write), entry)
      else this.dirtyCommitted.set(entry.csn, entry)
      result.replayed++
    }
    this.committed.push(...newlyCommitted)
    this.tentative = stillTentative
    result.issued = this.commitPending()
    return result
  }

  /** Discards committed writes up to CSN `upTo` (at most the highest CSN); the database keeps their effect. */
  truncate (upTo: number): number {
    let dropped = 0
    while (this.committed.length > 0 && ((this.committed[0] as LogEntry).csn as number) <= upTo) {
      const entry = this.committed.shift() as LogEntry
      this.dirtyCommitted.set(entry.csn as number, null)
      this.osnValue = entry.csn as number
      dropped++
    }
    return dropped
  }

  /** The database as of the highest CSN: the current one with the tentative writes undone on a copy. */
  stableSnapshot (): Snapshot {
    const copy = new Database(this.db.snapshot())
    for (let i = this.tentative.length - 1; i >= 0; i--) copy.rollback((this.tentative[i] as LogEntry).undo ?? [])
    return {
      calendar: this.calendar,
      csn: this.csnValue,
      cvv: { ...this.cvv },
      primary: this.committedPrimary,
      committedReplicas: { ...this.committedReplicas },
      heads: { ...this.committedHeads },
      ...(this.commitHead !== undefined ? { commitHead: this.commitHead } : {}),
      // Our own rows, written by our update functions; the slot index is left out (rebuilt on install).
      db: Object.fromEntries(STABLE_TABLES.map(table => [table, copy.snapshot()[table]])) as StableDatabase
    }
  }

  /** What changed since the last call; written to disk in one batch. */
  takeChanges (): ReplicaChanges {
    const changes: ReplicaChanges = { meta: this.meta(), rows: this.db.takeDirty(), committed: [...this.dirtyCommitted], tentative: [...this.dirtyTentative] }
    this.dirtyCommitted.clear()
    this.dirtyTentative.clear()
    return changes
  }

  meta (): ReplicaMeta {
    return {
      calendar: this.calendar,
      id: this.id,
      clock: this.clock,
      vv: { ...this.vv },
      cvv: { ...this.cvv },
      csn: this.csnValue,
      osn: this.osnValue,
      committedPrimary: this.committedPrimary,
      committedReplicas: { ...this.committedReplicas },
      heads: { ...this.heads },
      committedHeads: { ...this.committedHeads },
      ...(this.commitHead !== undefined ? { commitHead: this.commitHead } : {})
    }
  }

  // ---- internals ----

  /** The receiving side's checks, with nothing changed: which writes are new, which notices apply. */
  private check (batch: Batch): { snapshot?: Snapshot, writes: Write[], commits: CommitNotice[], duplicates: number } {
    let vv = this.vv
    let heads = this.heads
    let commitHead = this.commitHead
    let csn = this.csnValue
    let primary = this.committedPrimary
    const committedReplicas = { ...this.committedReplicas }
    let snapshotRows: Record<string, unknown> = {}
    let snapshot: Snapshot | undefined
    if (batch.snapshot != null && batch.snapshot.csn > this.csnValue) {
      snapshot = batch.snapshot
      if (snapshot.calendar !== this.calendar) throw new BayouError('wrong-calendar', 'snapshot of another calendar')
      if (snapshot.committedReplicas[snapshot.primary] !== false) throw new BayouError('bad-snapshot', 'snapshot primary is not an active replica')
      vv = this.vvAfterSnapshot(snapshot)
      heads = this.headsAfterSnapshot(snapshot)
      commitHead = snapshot.commitHead
      csn = snapshot.csn
      primary = snapshot.primary
      Object.assign(committedReplicas, snapshot.committedReplicas)
      snapshotRows = snapshot.db.replicas
    } else {
      vv = { ...vv }
      heads = { ...heads }
    }

    const bindings = new Map<ReplicaId, ReplicaRow>()
    const binding = (replica: ReplicaId): ReplicaRow | undefined =>
      bindings.get(replica) ?? (snapshotRows[replica] as ReplicaRow | undefined) ?? this.db.get<ReplicaRow>('replicas', replica)
    const fresh = new Map<string, Write>()
    const writes: Write[] = []
    const lastOfRun = new Map<ReplicaId, number>()
    let duplicates = 0
    for (const w of batch.writes) {
      if (w.calendar !== this.calendar) throw new BayouError('wrong-calendar', `write ${writeId(w)} is for another calendar`)
      if (covers(vv, w) || fresh.has(writeId(w))) {
        duplicates++
        continue
      }
      const bound = binding(w.replica)
      if (w.op.kind === 'create') {
        if (w.replica !== ROOT_REPLICA || bound != null) throw new BayouError('invalid-op', 'only the root creates a calendar, once')
      } else if (bound == null || bound.member !== w.author) {
        throw new BayouError('unknown-replica', `write ${writeId(w)}: replica ${w.replica} is not ${w.author}'s`)
      } else if (bound.retired) {
        throw new BayouError('retired-replica', `write ${writeId(w)} after ${w.replica} retired`)
      }
      const accepted = this.linkWrite(w, heads)
      if (accepted.hash !== undefined) lastOfRun.set(w.replica, writes.length)
      if (w.op.kind === 'create') bindings.set(ROOT_REPLICA, { member: w.author, retired: false, joinedAt: w.stamp })
      if (w.op.kind === 'join') bindings.set(childReplicaId(w.stamp, w.replica), { member: w.op.member, retired: false, joinedAt: w.stamp })
      if (w.op.kind === 'retire') bindings.set(w.replica, { ...(binding(w.replica) as ReplicaRow), retired: true })
      advanceVersionVector(vv, w)
      fresh.set(writeId(w), accepted)
      writes.push(accepted)
    }
    // One verification per replica: its last write's signature vouches for the chain up to it. Only
    // verified signatures are kept (a run sent on from here ends at one of them).
    for (const [replica, last] of lastOfRun) {
      const w = writes[last] as Write
      if (w.sig === undefined || !headSignatureValid(w.author, w.hash as string, w.sig)) {
        throw new BayouError('bad-signature', `the run of ${replica}'s writes up to ${writeId(w)} is not signed by ${w.author}`)
      }
    }
    writes.forEach((w, i) => { if (w.sig !== undefined && lastOfRun.get(w.replica) !== i) delete w.sig })

    const commits: CommitNotice[] = []
    let runStart = 0 // the notices since runStart are one primary's run, vouched for by its last one
    const closeRun = (primaryMember: string): void => {
      const last = commits[commits.length - 1]
      if (last === undefined || commits.length === runStart || last.hash === undefined) return
      if (last.sig === undefined || !headSignatureValid(primaryMember, last.hash, last.sig)) {
        throw new BayouError('bad-commit', `commits ${(commits[runStart] as CommitNotice).csn}–${last.csn} are not signed by the primary`)
      }
      for (let i = runStart; i < commits.length - 1; i++) delete (commits[i] as CommitNotice).sig
      runStart = commits.length
    }
    for (const notice of batch.commits) {
      if (notice.calendar !== this.calendar) throw new BayouError('wrong-calendar', `commit ${notice.csn} is for another calendar`)
      if (notice.csn <= csn) continue
      if (notice.csn !== csn + 1) throw new BayouError('out-of-order', `commit ${notice.csn} after ${csn}`)
      const w = fresh.get(writeId(notice)) ?? this.tentativeById.get(writeId(notice))?.write
      if (w == null || (snapshot != null && w.stamp <= (snapshot.cvv[w.replica] ?? 0))) {
        throw new BayouError('bad-commit', `commit ${notice.csn} names a write not in the log`)
      }
      const primaryRow = binding(primary)
      if (primaryRow == null || notice.primary !== primaryRow.member) {
        throw new BayouError('bad-commit', `commit ${notice.csn} is not signed by the primary ${primary}`)
      }
      const { calendar, replica, stamp } = notice
      let accepted: CommitNotice
      if (notice.v1 !== undefined) {
        closeRun(primaryRow.member)
        if (!v1CommitSignatureValid(notice)) throw new BayouError('bad-commit', `commit ${notice.csn} is not signed by the primary ${primary}`)
        accepted = { calendar, csn: notice.csn, replica, stamp, primary: notice.primary, v1: notice.v1 }
        commitHead = undefined
        runStart = commits.length + 1
      } else {
        const prev = commitHead ?? CHAIN_START
        if (notice.prev !== undefined && notice.prev !== prev) throw new BayouError('broken-chain', `commit ${notice.csn} does not follow commit ${csn}`)
        accepted = { calendar, csn: notice.csn, replica, stamp, primary: notice.primary, prev, hash: commitHash(prev, notice), ...(notice.sig !== undefined ? { sig: notice.sig } : {}) }
        commitHead = accepted.hash
      }
      commits.push(accepted)
      const next = advanceCommitted(committedReplicas, primary, w)
      if (next !== primary) closeRun(primaryRow.member) // the old primary's run ends at its handoff
      primary = next
      csn = notice.csn
    }
    const primaryRow = binding(primary)
    if (commits.length > runStart) closeRun(primaryRow?.member ?? '')
    return { snapshot, writes, commits, duplicates }
  }

  /**
   * A received write checked against its replica's chain: a version-2 write by its own signature, a
   * chain write by its link (its signature is checked once for the run). Returns the write to keep.
   */
  private linkWrite (w: Write, heads: Record<ReplicaId, string>): Write {
    const { calendar, replica, stamp, author, op } = w
    if (w.v1 !== undefined) {
      if (!v1WriteSignatureValid(w)) throw new BayouError('bad-signature', `write ${writeId(w)} is not signed by ${w.author}`)
      delete heads[replica]
      return { calendar, replica, stamp, author, op, v1: w.v1 }
    }
    const prev = heads[replica] ?? CHAIN_START
    if (w.prev !== undefined && w.prev !== prev) throw new BayouError('broken-chain', `write ${writeId(w)} does not follow ${replica}'s last write here`)
    const hash = writeHash(prev, w)
    heads[replica] = hash
    return { calendar, replica, stamp, author, op, prev, hash, ...(w.sig !== undefined ? { sig: w.sig } : {}) }
  }

  private headsAfterSnapshot (snapshot: Snapshot): Record<ReplicaId, string> {
    const heads = { ...this.heads }
    for (const [replica, stamp] of Object.entries(snapshot.cvv)) {
      if (stamp <= (this.vv[replica] ?? 0)) continue // we hold its writes past the snapshot: our head
      const head = snapshot.heads[replica]
      if (head !== undefined) heads[replica] = head
      else delete heads[replica]
    }
    return heads
  }

  private vvAfterSnapshot (snapshot: Snapshot): VersionVector {
    const vv = { ...this.vv }
    for (const [replica, stamp] of Object.entries(snapshot.cvv)) {
      if (snapshot.committedReplicas[replica] === true) delete vv[replica]
      // "Retired" is judged on the vector as it was: judged on the half-updated one, a replica created
      // by a write the snapshot covers would look retired (its creator's entry already covers it).
      else if (replica in this.vv || coverage(this.vv, replica) !== Infinity) vv[replica] = Math.max(vv[replica] ?? 0, stamp)
    }
    for (const [replica, retired] of Object.entries(snapshot.committedReplicas)) {
      if (!retired && !(replica in vv)) vv[replica] = 0
    }
    return vv
  }

  private installSnapshot (snapshot: Snapshot): void {
    this.heads = this.headsAfterSnapshot(snapshot)
    this.committedHeads = { ...snapshot.heads }
    this.commitHead = snapshot.commitHead
    this.vv = this.vvAfterSnapshot(snapshot)
    for (const stamp of Object.values(snapshot.cvv)) this.clock = Math.max(this.clock, stamp)
    for (const entry of this.committed) this.dirtyCommitted.set(entry.csn as number, null)
    this.committed = []
    for (const entry of this.tentative) {
      if (entry.write.stamp <= (snapshot.cvv[entry.write.replica] ?? 0)) {
        this.tentativeById.delete(writeId(entry.write))
        this.dirtyTentative.set(writeId(entry.write), null)
      }
    }
    this.tentative = this.tentative.filter(e => this.tentativeById.has(writeId(e.write)))
    this.db.reset({ ...snapshot.db, slots: {} })
    reindexSlots(this.db)
    this.csnValue = snapshot.csn
    this.osnValue = snapshot.csn
    this.cvv = { ...snapshot.cvv }
    this.committedPrimary = snapshot.primary
    this.committedReplicas = { ...snapshot.committedReplicas }
  }

  /** Undoes applied[from..] newest first; returns how many writes were rolled back. */
  private rollback (applied: readonly LogEntry[], from: number): number {
    for (let i = applied.length - 1; i >= from; i--) this.db.rollback((applied[i] as LogEntry).undo ?? [])
    return applied.length - from
  }

  /** Adds received writes to the tentative log in order: one merge, into a copy (the caller's view of what was applied stays intact for the rollback). */
  private insertTentative (writes: readonly Write[]): void {
    if (writes.length === 0) return
    const entries = writes.map((w): LogEntry => {
      this.noteWrite(w)
      const entry: LogEntry = { write: w, csn: null, outcome: PENDING, firstOutcome: null, undo: [], notice: null }
      this.tentativeById.set(writeId(w), entry)
      return entry
    }).sort((a, b) => compareStamps(a.write, b.write))
    const merged: LogEntry[] = []
    let i = 0
    for (const entry of entries) {
      while (i < this.tentative.length && compareStamps((this.tentative[i] as LogEntry).write, entry.write) < 0) merged.push(this.tentative[i++] as LogEntry)
      merged.push(entry)
    }
    while (i < this.tentative.length) merged.push(this.tentative[i++] as LogEntry)
    this.tentative = merged
  }

  private markCommitted (entry: LogEntry, notice: CommitNotice): void {
    const csn = notice.csn
    const id = writeId(entry.write)
    this.tentativeById.delete(id)
    this.dirtyTentative.set(writeId(entry.write), null)
    entry.csn = csn
    entry.notice = notice
    entry.undo = null
    this.dirtyCommitted.set(csn, entry)
    this.csnValue = csn
    this.cvv[entry.write.replica] = Math.max(this.cvv[entry.write.replica] ?? 0, entry.write.stamp)
    setHead(this.committedHeads, entry.write.replica, entry.write.hash)
    this.commitHead = notice.hash
    this.committedPrimary = advanceCommitted(this.committedReplicas, this.committedPrimary, entry.write)
  }

  /** The Lamport clock and the version vector learn of a write (ours or received). */
  private noteWrite (w: Write): void {
    this.clock = Math.max(this.clock, w.stamp)
    advanceVersionVector(this.vv, w)
    setHead(this.heads, w.replica, w.op.kind === 'retire' ? undefined : w.hash)
  }

}

/**
 * A write joins the version vector: its replica's entry moves up to it (writes from one replica arrive
 * in stamp order, the prefix property); a retirement drops the entry; a join adds the new replica at 0,
 * so that from now on its absence would mean "retired".
 */
function advanceVersionVector (vv: VersionVector, w: Write): void {
  if (w.op.kind === 'retire') delete vv[w.replica]
  else vv[w.replica] = Math.max(vv[w.replica] ?? 0, w.stamp)
  if (w.op.kind === 'join') {
    const id = childReplicaId(w.stamp, w.replica)
    if (!(id in vv)) vv[id] = 0
  }
}

/**
 * The committed primary and replica set after `w` commits: the same rule the handoff, join and retire
 * update functions apply, evaluated on committed state only — so a receiver can check who had to sign
 * each commit notice before running anything.
 */
function advanceCommitted (replicas: Record<ReplicaId, boolean>, primary: ReplicaId, w: Write): ReplicaId {
  switch (w.op.kind) {
    case 'create': replicas[ROOT_REPLICA] = false; return ROOT_REPLICA
    case 'join': replicas[childReplicaId(w.stamp, w.replica)] = false; return primary
    case 'retire': if (w.replica in replicas) replicas[w.replica] = true; return primary
    case 'handoff': return w.replica === primary && replicas[w.op.to] === false ? w.op.to : primary
    default: return primary
  }
}

function setHead (heads: Record<ReplicaId, string>, replica: ReplicaId, hash: string | undefined): void {
  if (hash === undefined) delete heads[replica]
  else heads[replica] = hash
}

/**
 * A log entry as version 2 stored it: each write and notice signed on its own (`sig`, no chain hash).
 * Kept that way (as `v1`) and sent on so; the replica's chains start after them.
 */
function fromVersion2 (entry: LogEntry): LogEntry {
  const upgrade = <T extends { sig?: string, hash?: string, v1?: string }>(x: T): T => {
    if (x.hash !== undefined || x.v1 !== undefined || x.sig === undefined) return x
    const { sig, ...rest } = x
    return { ...rest, v1: sig } as T
  }
  return { ...entry, write: upgrade(entry.write), notice: entry.notice == null ? null : upgrade(entry.notice) }
}
