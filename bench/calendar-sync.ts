// Bayou anti-entropy, measured on in-memory replicas through the real frames of the sync protocol
// (deflated runs, inflated and validated by their schema, applied frame by frame, each frame's changes
// taken as the service takes them to store):
//  1. a fresh replica pulls N writes (+ their commit notices): time, bytes on the wire, bytes per write
//     beside the writes' own size, the longest a single frame held the event loop on either side, peak
//     RSS, and beside the baseline of shipping the stable database instead; then a second sync after 100
//     more writes: the version vector keeps it to exactly those. The same N writes through Automerge's
//     sync protocol, side by side: one Automerge change per write (the reserve's data put in a map),
//     synced to an empty document, then the same 100 more. Each side of each size runs in a child
//     process of its own, so its peak RSS is its own;
//  1b. two-sided: 1,000 shared writes, then 10,000 offline writes on A and 1,000 on B that want the same
//     rooms at the same times (Automerge: put on the same keys), then anti-entropy both ways (Bayou: one
//     session's three turns); the two replicas' databases are asserted equal;
//  2. rollback-and-replay time against the tentative suffix length L, beside re-running the whole log;
//  3. expanding a year of 200 series into occurrences;
//  4. anti-entropy of 1,000 weekly series with 1,000 exceptions ("this occurrence" writes) beside the
//     same occurrences as one-off events.
// Targets (issue 16): 10,000 writes, Bayou's bytes/write ≤ 1.5 × Automerge's and sync time ≤ 0.5 ×;
// 100,000 writes ≤ 3 s, ≤ 3 MB, peak RSS < 500 MB.
// Run: npm run bench:calendar   (CALENDAR_BENCH_SIZES=10000 for a quicker run)
import { generateKeyPairSync } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { isDeepStrictEqual } from 'node:util'
import * as Automerge from '@automerge/automerge'
import { Replica } from '../p2p/calendar/bayou/replica.ts'
import type { Batch } from '../p2p/calendar/bayou/messages.ts'
import { signerFromRawKey, type Signer } from '../p2p/calendar/bayou/signing.ts'
import { batchOf, framesOf, SnapshotAssembler } from '../p2p/calendar/sync/chunks.ts'
import { decodeFrame, encodeFrame } from '../p2p/calendar/sync/codec.ts'
import { EMPTY_SUMMARY } from '../p2p/calendar/sync/session.ts'
import type { Op } from '../p2p/calendar/bayou/ops.ts'
import { Database } from '../p2p/calendar/bayou/database.ts'
import { execute } from '../p2p/calendar/bayou/update-functions.ts'
import type { CalendarEvent } from '../p2p/calendar/bayou/rows.ts'
import { rowOccurrences } from '../p2p/calendar/bayou/occurrences.ts'
import { parseRule } from '../p2p/calendar/recurrence/rule.ts'

const SIZES = (process.env.CALENDAR_BENCH_SIZES ?? '10000,100000').split(',').map(Number)
const SUFFIXES = [10, 100, 1000, 10_000]
const CALENDAR = 'bench000000000000'
const HOUR = 3_600_000
const BASE = Date.UTC(2027, 0, 1)

function signer (): Signer {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
  const raw = new Uint8Array(64)
  raw.set(Buffer.from(jwk.d as string, 'base64url'), 0)
  raw.set(Buffer.from(jwk.x as string, 'base64url'), 32)
  return signerFromRawKey(raw)
}

/** Meetings spread over rooms and hours, each with a second choice, so some take their alternative. */
function meeting (i: number, title = `meeting ${i}`): Op {
  const start = BASE + Math.floor(i / 4) * HOUR
  return { kind: 'reserve', title, durationMinutes: 60, alternatives: [start, start + HOUR], room: `room-${i % 5}` }
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
/** CPU time of this process (all its threads: the garbage collector's too) since `from`, in ms. */
const cpuMs = (from: NodeJS.CpuUsage): number => { const u = process.cpuUsage(from); return (u.user + u.system) / 1000 }
const pad = (x: string | number, n: number): string => String(x).padStart(n)
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024

/** Longest frames in wall time and in CPU time (on a shared box a frame's wall time is mostly waiting for a core). */
interface Transfer { bytes: number, frames: number, longestSendMs: number, longestReceiveMs: number, longestSendCpuMs: number, longestReceiveCpuMs: number }

/**
 * What the wire carries: each frame encoded, decoded and validated, then applied, and its changes
 * taken (as the service does before storing them). The longest frame on each side is how long the
 * event loop would be held without a turn (the session yields between frames).
 */
function transfer (batch: Batch, to: Replica, into: Transfer = { bytes: 0, frames: 0, longestSendMs: 0, longestReceiveMs: 0, longestSendCpuMs: 0, longestReceiveCpuMs: 0 }): Transfer {
  const assembler = new SnapshotAssembler()
  const frames = framesOf(batch)
  for (;;) {
    let t0 = process.hrtime.bigint()
    let cpu0 = process.cpuUsage()
    const next = frames.next()
    if (next.done === true) break
    const wire = encodeFrame(next.value)
    into.longestSendMs = Math.max(into.longestSendMs, ms(t0))
    into.longestSendCpuMs = Math.max(into.longestSendCpuMs, cpuMs(cpu0))
    into.bytes += wire.byteLength
    into.frames++
    t0 = process.hrtime.bigint()
    cpu0 = process.cpuUsage()
    const { frame: parsed, size } = decodeFrame(wire)
    const data = parsed.type === 'end' ? undefined : assembler.take(parsed, size)
    if (data !== undefined) {
      to.receive(batchOf(data, CALENDAR))
      to.takeChanges()
    }
    into.longestReceiveMs = Math.max(into.longestReceiveMs, ms(t0))
    into.longestReceiveCpuMs = Math.max(into.longestReceiveCpuMs, cpuMs(cpu0))
  }
  return into
}

type Agenda = { events: Record<string, Op> } // a type, not an interface: Automerge.from wants an index signature
interface AmPeer { doc: Automerge.Doc<Agenda>, state: Automerge.SyncState }

/** Automerge's sync protocol between two documents until neither has anything to send. */
function automergeSync (from: AmPeer, to: AmPeer): { bytes: number, messages: number, longestMs: number } {
  let bytes = 0
  let messages = 0
  let longestMs = 0
  for (;;) {
    let sent = false
    for (const [sender, receiver] of [[from, to], [to, from]] as const) {
      let t0 = process.hrtime.bigint()
      const [state, message] = Automerge.generateSyncMessage(sender.doc, sender.state)
      sender.state = state
      longestMs = Math.max(longestMs, ms(t0))
      if (message == null) continue
      bytes += message.byteLength
      messages++
      sent = true
      t0 = process.hrtime.bigint()
      ;[receiver.doc, receiver.state] = Automerge.receiveSyncMessage(receiver.doc, receiver.state, message)
      longestMs = Math.max(longestMs, ms(t0))
    }
    if (!sent) return { bytes, messages, longestMs }
  }
}

/**
 * Writes `op(i)` for i in [from, to) into `doc`, one Automerge change each (the same data, in a map
 * keyed like the event). Through Automerge's core: its JS document API copies the whole map on every
 * change, which made 10,000 separate changes take over a minute here and 100,000 out of reach. Strings
 * are scalars, as Bayou's fields are (the JS API's default, text with an op per character, ~2× the bytes).
 */
function automergeWrites (doc: Automerge.Doc<Agenda>, from: number, to: number, op = (i: number) => meeting(i)): Automerge.Doc<Agenda> {
  const core = Automerge.getBackend(Automerge.clone(doc))
  const events = (core.getWithType('_root', 'events') as [string, string])[1]
  for (let i = from; i < to; i++) {
    core.putObject(events, `meeting-${i}`, op(i) as unknown as Record<string, never>)
    core.commit(null, Math.floor(Date.now() / 1000)) // the timestamp Automerge.change() records
  }
  return Automerge.load<Agenda>(core.save())
}

/** One measurement, run in a child process (its figures are the last line it prints). */
type Figures = Record<string, number | string>
const CASES: Record<string, (n: number) => Figures> = {
  'bayou-fresh': n => {
    let now = 1
    const primary = Replica.create({ calendar: CALENDAR, name: 'bench', signer: signer(), now: now++ })
    let t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) {
      primary.issue(meeting(i), now++)
      if (i % 1000 === 999) primary.takeChanges() // the service stores (and so takes) every change
    }
    const writeMs = ms(t0)
    primary.takeChanges()
    const own = primary.log().reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.write)), 0) / (n + 1)
    const opOwn = primary.log().reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.write.op)), 0) / (n + 1)
    const fresh = Replica.joining({ calendar: CALENDAR, id: '<1,R>', signer: signer() })
    t0 = process.hrtime.bigint()
    const cpu0 = process.cpuUsage()
    const sync = transfer(primary.batchFor(EMPTY_SUMMARY), fresh)
    const syncMs = ms(t0)
    const syncCpuMs = cpuMs(cpu0)
    if (fresh.csn !== primary.csn || !isDeepStrictEqual(fresh.database.snapshot(), primary.database.snapshot())) throw new Error('replicas differ after sync')
    // Incremental: 100 more writes; the receiver's version vector and CSN say it has the rest.
    for (let i = n; i < n + 100; i++) primary.issue(meeting(i), now++)
    t0 = process.hrtime.bigint()
    const incremental = primary.batchFor(fresh.summary())
    const more = transfer(incremental, fresh)
    const moreMs = ms(t0)
    if (incremental.writes.length !== 100 || fresh.csn !== primary.csn) throw new Error('incremental sync sent the wrong writes')
    const rssMb = peakRssMb()
    // Baseline within Bayou: a receiver behind the truncation point gets the stable database instead.
    primary.truncate(primary.csn)
    const viaSnapshot = Replica.joining({ calendar: CALENDAR, id: '<1,R>', signer: signer() })
    t0 = process.hrtime.bigint()
    const snapshot = transfer(primary.batchFor(EMPTY_SUMMARY), viaSnapshot)
    return { writeMs, syncMs, syncCpuMs, bytes: sync.bytes, frames: sync.frames, own, opOwn, moreBytes: more.bytes, moreMs, sendMs: sync.longestSendMs, receiveMs: sync.longestReceiveMs, sendCpuMs: sync.longestSendCpuMs, receiveCpuMs: sync.longestReceiveCpuMs, rssMb, snapshotBytes: snapshot.bytes, snapshotMs: ms(t0) }
  },
  'automerge-fresh': n => {
    let t0 = process.hrtime.bigint()
    const doc = automergeWrites(Automerge.from<Agenda>({ events: {} }), 0, n)
    const writeMs = ms(t0)
    if (Automerge.getAllChanges(doc).length !== n + 1) throw new Error('not one Automerge change per write')
    const source = { doc, state: Automerge.initSyncState() }
    const target = { doc: Automerge.init<Agenda>(), state: Automerge.initSyncState() }
    t0 = process.hrtime.bigint()
    const cpu0 = process.cpuUsage()
    const am = automergeSync(source, target)
    const syncMs = ms(t0)
    const syncCpuMs = cpuMs(cpu0)
    if (Object.keys(target.doc.events).length !== n) throw new Error('Automerge documents differ after sync')
    source.doc = automergeWrites(source.doc, n, n + 100)
    t0 = process.hrtime.bigint()
    const more = automergeSync(source, target)
    const moreMs = ms(t0)
    if (Object.keys(target.doc.events).length !== n + 100) throw new Error('Automerge incremental sync lost writes')
    return { writeMs, syncMs, syncCpuMs, bytes: am.bytes, messages: am.messages, moreBytes: more.bytes, moreMs, moreMessages: more.messages, longestMs: am.longestMs, rssMb: peakRssMb() }
  },
  'bayou-two-sided': () => {
    let now = 1
    const a = Replica.create({ calendar: CALENDAR, name: 'bench', signer: signer(), now: now++ })
    const bSigner = signer()
    const joined = a.issue({ kind: 'join', member: bSigner.author }, now++)
    const b = Replica.joining({ calendar: CALENDAR, id: `<${joined.write.stamp},R>`, signer: bSigner })
    for (let i = 0; i < 1000; i++) a.issue(meeting(i), now++)
    transfer(a.batchFor(b.summary()), b)
    a.takeChanges()
    // Offline: A books 10,000 more; B books 1,000 of the same rooms at the same times, stamped in between.
    for (let i = 0; i < 10_000; i++) a.issue(meeting(1000 + i), now + 2 * i)
    for (let i = 0; i < 1000; i++) b.issue(meeting(1000 + i, `b's meeting ${i}`), now + 2 * i + 1)
    a.takeChanges()
    b.takeChanges()
    const t0 = process.hrtime.bigint()
    const cpu0 = process.cpuUsage()
    // One session, B dialling: A sends what B lacks, B what A lacks, A the notices for B's writes.
    const wire = transfer(a.batchFor(b.summary()), b)
    transfer(b.batchFor(a.summary()), a, wire)
    transfer(a.batchFor(b.summary()), b, wire)
    const syncMs = ms(t0)
    const syncCpuMs = cpuMs(cpu0)
    if (a.tentativeCount() + b.tentativeCount() !== 0 || a.csn !== b.csn) throw new Error('not all committed on both')
    if (!isDeepStrictEqual(a.database.snapshot(), b.database.snapshot())) throw new Error('databases differ')
    const conflicts = a.database.rows<CalendarEvent>('events').filter(([, e]) => e.state === 'conflict').length
    return { syncMs, syncCpuMs, bytes: wire.bytes, frames: wire.frames, sendMs: wire.longestSendMs, receiveMs: wire.longestReceiveMs, sendCpuMs: wire.longestSendCpuMs, receiveCpuMs: wire.longestReceiveCpuMs, rssMb: peakRssMb(), conflicts }
  },
  'automerge-two-sided': () => {
    const a = { doc: automergeWrites(Automerge.from<Agenda>({ events: {} }), 0, 1000), state: Automerge.initSyncState() }
    const b = { doc: Automerge.init<Agenda>(), state: Automerge.initSyncState() }
    automergeSync(a, b)
    a.doc = automergeWrites(a.doc, 1000, 11_000)
    b.doc = automergeWrites(b.doc, 1000, 2000, i => meeting(i, `b's meeting ${i - 1000}`))
    const t0 = process.hrtime.bigint()
    const cpu0 = process.cpuUsage()
    const am = automergeSync(a, b)
    const syncMs = ms(t0)
    const syncCpuMs = cpuMs(cpu0)
    if (!isDeepStrictEqual(Automerge.toJS(a.doc), Automerge.toJS(b.doc))) throw new Error('Automerge documents differ')
    const conflicts = Object.keys(a.doc.events).filter(k => Automerge.getConflicts(a.doc.events, k) !== undefined).length
    return { syncMs, syncCpuMs, bytes: am.bytes, messages: am.messages, longestMs: am.longestMs, rssMb: peakRssMb(), conflicts }
  }
}

const selected = process.env.CALENDAR_BENCH_CASE
if (selected !== undefined) {
  const [name, n] = selected.split(':') as [string, string]
  console.log(JSON.stringify((CASES[name] as (n: number) => Figures)(Number(n))))
  process.exit(0)
}

function child (name: string, n = 0): Figures {
  const run = spawnSync(process.execPath, [import.meta.filename], { env: { ...process.env, CALENDAR_BENCH_CASE: `${name}:${n}` }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (run.status !== 0) throw new Error(`${name} ${n}: ${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Figures
}

const f0 = (x: number | string | undefined): string => Number(x).toFixed(0)
const ratio = (x: number | string | undefined, y: number | string | undefined): string => (Number(x) / Number(y)).toFixed(2)
/** Rounds of each side, alternating, at a size (the box's speed drifts: the medians of alternating runs). */
const ROUNDS = Number(process.env.CALENDAR_BENCH_ROUNDS ?? 3)
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

/** Each side's median round (by sync time), with the medians of wall and CPU time over its rounds. */
function alternate (bayouCase: string, automergeCase: string, n: number, rounds: number): [Figures, Figures] {
  const runs: [Figures[], Figures[]] = [[], []]
  for (let round = 0; round < rounds; round++) {
    runs[0].push(child(bayouCase, n))
    runs[1].push(child(automergeCase, n))
  }
  const summarize = (side: Figures[]): Figures => {
    const byTime = [...side].sort((a, b) => Number(a.syncMs) - Number(b.syncMs))
    return { ...byTime[Math.floor(side.length / 2)], syncMs: median(side.map(f => Number(f.syncMs))), syncCpuMs: median(side.map(f => Number(f.syncCpuMs))), syncRange: side.map(f => f0(f.syncMs)).join('/') }
  }
  return [summarize(runs[0]), summarize(runs[1])]
}

console.log('1. Anti-entropy to a fresh replica: Bayou (writes + commit notices, chained, one signature per run) beside Automerge')
console.log(`   sync ms: median of ${ROUNDS} alternating rounds at 10,000 (1 at larger sizes), wall (each round's) and CPU of the process`)
console.log('       N | system    | write ms | sync ms (rounds)     | sync CPU ms | wire bytes | bytes/write | own size/write | longest frame ms (send, receive: wall; CPU) | peak RSS MB | then 100 more: bytes, ms')
for (const n of SIZES) {
  const [bayou, am] = alternate('bayou-fresh', 'automerge-fresh', n, n <= 10_000 ? ROUNDS : 1)
  console.log(`${pad(n, 8)} | Bayou     | ${pad(f0(bayou.writeMs), 8)} | ${pad(`${f0(bayou.syncMs)} (${bayou.syncRange})`, 20)} | ${pad(f0(bayou.syncCpuMs), 11)} | ${pad(bayou.bytes as number, 10)} | ${pad((Number(bayou.bytes) / n).toFixed(1), 11)} | ${pad(`${f0(bayou.own)} (op ${f0(bayou.opOwn)})`, 14)} | ${pad(`${f0(bayou.sendMs)}, ${f0(bayou.receiveMs)}; CPU ${f0(bayou.sendCpuMs)}, ${f0(bayou.receiveCpuMs)} (${bayou.frames} frames)`, 32)} | ${pad(f0(bayou.rssMb), 11)} | ${bayou.moreBytes}, ${Number(bayou.moreMs).toFixed(1)}`)
  console.log(`${''.padStart(8)} | (Bayou stable database instead of the log: ${bayou.snapshotBytes} bytes, ${f0(bayou.snapshotMs)} ms)`)
  console.log(`${''.padStart(8)} | Automerge | ${pad(f0(am.writeMs), 8)} | ${pad(`${f0(am.syncMs)} (${am.syncRange})`, 20)} | ${pad(f0(am.syncCpuMs), 11)} | ${pad(am.bytes as number, 10)} | ${pad((Number(am.bytes) / n).toFixed(1), 11)} | ${pad(`op ${f0(bayou.opOwn)}`, 14)} | ${pad(`${Number(am.longestMs).toFixed(1)} (one message)`, 32)} | ${pad(f0(am.rssMb), 11)} | ${am.moreBytes}, ${Number(am.moreMs).toFixed(1)} (${am.messages} + ${am.moreMessages} messages)`)
  console.log(`${''.padStart(8)} | Bayou ÷ Automerge: bytes/write ${ratio(bayou.bytes, am.bytes)} (target ≤ 1.5), sync time ${ratio(bayou.syncMs, am.syncMs)} wall, ${ratio(bayou.syncCpuMs, am.syncCpuMs)} CPU (target ≤ 0.5)`)
  if (n === 100_000) {
    const ok = (b: boolean): string => (b ? 'met' : 'NOT met')
    console.log(`${''.padStart(8)} | 100,000 targets: sync ${f0(bayou.syncMs)} ms ≤ 3,000 ${ok(Number(bayou.syncMs) <= 3000)}; ${bayou.bytes} bytes ≤ 3 MB ${ok(Number(bayou.bytes) <= 3e6)}; peak RSS ${f0(bayou.rssMb)} MB < 500 ${ok(Number(bayou.rssMb) < 500)}`)
  }
}

console.log('\n1b. Two-sided: 1,000 shared writes, then 10,000 offline on A and 1,000 on B for the same rooms and times; synced both ways')
console.log('  system    | sync ms (rounds)     | sync CPU ms | wire bytes | longest frame/message ms  | peak RSS MB | conflicts kept | databases')
{
  const [bayou, am] = alternate('bayou-two-sided', 'automerge-two-sided', 0, ROUNDS)
  console.log(`  Bayou     | ${pad(`${f0(bayou.syncMs)} (${bayou.syncRange})`, 20)} | ${pad(f0(bayou.syncCpuMs), 11)} | ${pad(bayou.bytes as number, 10)} | ${pad(`${f0(bayou.sendMs)}, ${f0(bayou.receiveMs)}; CPU ${f0(bayou.sendCpuMs)}, ${f0(bayou.receiveCpuMs)} (${bayou.frames} frames)`, 25)} | ${pad(f0(bayou.rssMb), 11)} | ${pad(bayou.conflicts as number, 14)} | equal`)
  console.log(`  Automerge | ${pad(`${f0(am.syncMs)} (${am.syncRange})`, 20)} | ${pad(f0(am.syncCpuMs), 11)} | ${pad(am.bytes as number, 10)} | ${pad(`${Number(am.longestMs).toFixed(1)} (${am.messages} messages)`, 25)} | ${pad(f0(am.rssMb), 11)} | ${pad(am.conflicts as number, 14)} | equal`)
  console.log(`  Bayou ÷ Automerge: bytes ${ratio(bayou.bytes, am.bytes)}, sync time ${ratio(bayou.syncMs, am.syncMs)} wall, ${ratio(bayou.syncCpuMs, am.syncCpuMs)} CPU, peak RSS ${ratio(bayou.rssMb, am.rssMb)}`)
}

console.log('\n2. Rollback and replay: one write arrives ordered before L tentative writes (log: 10,000 committed)')
console.log('       L | rolled back | replayed | ms     | baseline: re-run the whole log, ms')
for (const suffix of SUFFIXES) {
  let now = 1
  const primary = Replica.create({ calendar: CALENDAR, name: 'bench', signer: signer(), now: now++ })
  const aSigner = signer()
  const bSigner = signer()
  const joinA = primary.issue({ kind: 'join', member: aSigner.author }, now++)
  const joinB = primary.issue({ kind: 'join', member: bSigner.author }, now++)
  const a = Replica.joining({ calendar: CALENDAR, id: `<${joinA.write.stamp},R>`, signer: aSigner })
  const b = Replica.joining({ calendar: CALENDAR, id: `<${joinB.write.stamp},R>`, signer: bSigner })
  for (let i = 0; i < 10_000; i++) primary.issue(meeting(i), now++)
  b.receive(primary.batchFor(b.summary()))
  a.receive(primary.batchFor(a.summary()))
  const early = a.issue(meeting(99_999), now + 1) // stamped before all of B's tentative writes
  for (let i = 0; i < suffix; i++) b.issue(meeting(20_000 + i), now + 2 + i)
  const t0 = process.hrtime.bigint()
  const result = b.receive({ writes: [early.write], commits: [] })
  const took = ms(t0)
  // Baseline: no undo log, so the database is rebuilt by running every write again from the start.
  const log = b.log()
  const t1 = process.hrtime.bigint()
  const db = new Database()
  for (const entry of log) execute(db, entry.write, [])
  console.log(`${pad(suffix, 8)} | ${pad(result.rolledBack, 11)} | ${pad(result.replayed, 8)} | ${pad(took.toFixed(1), 6)} | ${ms(t1).toFixed(1)} (${log.length} writes)`)
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC']
const LOCAL_BASE = Date.UTC(2027, 0, 4, 9) // a Monday, 09:00 wall clock
const rule = (text: string): ReturnType<typeof parseRule> => parseRule(text, { fromUtc: u => u, fromLocal: l => l })

console.log('\n3. Expanding a year (2027) of 200 series into occurrences: 100 weekly, 100 daily, five zones')
{
  let now = 1
  const r = Replica.create({ calendar: CALENDAR, name: 'bench', signer: signer(), now: now++ })
  for (let i = 0; i < 200; i++) {
    const weekly = i < 100
    r.issue({ kind: 'schedule', title: `series ${i}`, room: `room-${i}`, zone: ZONES[i % 5] as string, start: LOCAL_BASE + (i % 5) * 86_400_000 + (i % 8) * HOUR, durationMinutes: 30, rule: rule(weekly ? 'FREQ=WEEKLY;BYDAY=MO,TH' : 'FREQ=DAILY') }, now++)
  }
  const rows = r.database.rows<CalendarEvent>('events').map(([, e]) => e)
  for (const round of ['first', 'second']) {
    const t0 = process.hrtime.bigint()
    const count = rows.reduce((sum, e) => sum + rowOccurrences(e, Date.UTC(2027, 0, 1), Date.UTC(2028, 0, 1)).occurrences.length, 0)
    console.log(`  ${round} run: ${count} occurrences in ${ms(t0).toFixed(0)} ms`)
  }
}

console.log('\n4. Anti-entropy to a fresh replica: 1,000 weekly series (26 weeks) + 1,000 exceptions, beside the same occurrences as one-offs')
console.log('  data              | writes | write ms | sync ms | wire bytes')
{
  let now = 1
  const series = Replica.create({ calendar: CALENDAR, name: 'bench', signer: signer(), now: now++ })
  const ids: string[] = []
  for (let i = 0; i < 1000; i++) {
    const { write } = series.issue({ kind: 'schedule', title: `series ${i}`, room: `room-${i % 100}`, zone: 'Europe/Berlin', start: LOCAL_BASE + (i % 5) * 86_400_000 + Math.floor(i / 100) * HOUR, durationMinutes: 45, rule: rule('FREQ=WEEKLY;COUNT=26') }, now++)
    ids.push(`${write.stamp}@${write.replica}`)
  }
  let t0 = process.hrtime.bigint()
  for (let i = 0; i < 1000; i++) {
    const occurrence = LOCAL_BASE + (i % 5) * 86_400_000 + Math.floor(i / 100) * HOUR + 7 * 86_400_000 * (1 + (i % 20))
    series.issue(i % 2 === 0
      ? { kind: 'occurrence', eventId: ids[i] as string, occurrence, rev: 0, cancel: true }
      : { kind: 'occurrence', eventId: ids[i] as string, occurrence, rev: 0, change: { title: `series ${i} (moved)`, start: Date.UTC(2027, 6, 1, 12) + i * HOUR } }, now++)
  }
  const exceptionsMs = ms(t0)
  const rows = series.database.rows<CalendarEvent>('events').map(([, e]) => e)
  const occurrences = rows.flatMap(e => rowOccurrences(e, 0, Date.UTC(2030, 0, 1)).occurrences.map(o => ({ ...o })))
  const freshSeries = Replica.joining({ calendar: CALENDAR, id: '<1,R>', signer: signer() })
  t0 = process.hrtime.bigint()
  const viaSeries = transfer(series.batchFor(EMPTY_SUMMARY), freshSeries)
  const seriesSyncMs = ms(t0)
  if (freshSeries.csn !== series.csn) throw new Error('replicas differ after sync')
  console.log(`  series+exceptions | ${pad(series.log().length, 6)} | ${pad(exceptionsMs.toFixed(0), 8)} | ${pad(seriesSyncMs.toFixed(0), 7)} | ${pad(viaSeries.bytes, 10)}  (${occurrences.length} occurrences)`)

  now = 1
  const oneOffs = Replica.create({ calendar: CALENDAR, name: 'bench', signer: signer(), now: now++ })
  t0 = process.hrtime.bigint()
  for (const o of occurrences) oneOffs.issue({ kind: 'reserve', title: o.title, durationMinutes: (o.end - o.start) / 60_000, alternatives: [o.start], room: o.room }, now++)
  const oneOffMs = ms(t0)
  const freshOneOffs = Replica.joining({ calendar: CALENDAR, id: '<1,R>', signer: signer() })
  t0 = process.hrtime.bigint()
  const viaOneOffs = transfer(oneOffs.batchFor(EMPTY_SUMMARY), freshOneOffs)
  console.log(`  one-off events    | ${pad(oneOffs.log().length, 6)} | ${pad(oneOffMs.toFixed(0), 8)} | ${pad(ms(t0).toFixed(0), 7)} | ${pad(viaOneOffs.bytes, 10)}`)
}
