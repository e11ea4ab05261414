// Bayou anti-entropy, measured on in-memory replicas through the real frames of the sync protocol
// (JSON-encoded, zod-validated, applied frame by frame):
//  1. a fresh replica pulls N writes (+ their commit notices): time, bytes on the wire, bytes per write
//     beside the writes' own size, and beside the baseline of shipping the stable database instead;
//     then a second sync after 100 more writes: the version vector keeps it to exactly those;
//     the same N writes through Automerge's sync protocol, side by side: one Automerge change per write
//     (the reserve's data put in a map), synced to an empty document, then the same 100 more;
//  2. rollback-and-replay time against the tentative suffix length L, beside re-running the whole log;
//  3. expanding a year of 200 series (100 weekly, 100 daily, in five zones) into occurrences;
//  4. anti-entropy of 1,000 weekly series with 1,000 exceptions ("this occurrence" writes) beside the
//     same occurrences as one-off events.
// Run: npm run bench:calendar   (CALENDAR_BENCH_SIZES=10000 for a quicker run)
import { generateKeyPairSync } from 'node:crypto'
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
function meeting (i: number): Op {
  const start = BASE + Math.floor(i / 4) * HOUR
  return { kind: 'reserve', title: `meeting ${i}`, durationMinutes: 60, alternatives: [start, start + HOUR], room: `room-${i % 5}` }
}

/** What the wire carries: each frame encoded, decoded and validated, then applied. */
function transfer (batch: Batch, to: Replica): { bytes: number, frames: number } {
  let bytes = 0
  let frames = 0
  const assembler = new SnapshotAssembler()
  for (const frame of framesOf(batch)) {
    const wire = encodeFrame(frame)
    bytes += wire.byteLength
    frames++
    const { frame: parsed, size } = decodeFrame(wire)
    const data = parsed.type === 'end' ? undefined : assembler.take(parsed, size)
    if (data !== undefined) to.receive(batchOf(data, CALENDAR))
  }
  return { bytes, frames }
}

type Agenda = { events: Record<string, Op> } // a type, not an interface: Automerge.from wants an index signature

/** Automerge's sync protocol between two documents until neither has anything to send. */
function automergeSync (from: { doc: Automerge.Doc<Agenda>, state: Automerge.SyncState }, to: { doc: Automerge.Doc<Agenda>, state: Automerge.SyncState }): { bytes: number, messages: number } {
  let bytes = 0
  let messages = 0
  for (;;) {
    let sent = false
    for (const [sender, receiver] of [[from, to], [to, from]] as const) {
      const [state, message] = Automerge.generateSyncMessage(sender.doc, sender.state)
      sender.state = state
      if (message == null) continue
      bytes += message.byteLength
      messages++
      sent = true
      ;[receiver.doc, receiver.state] = Automerge.receiveSyncMessage(receiver.doc, receiver.state, message)
    }
    if (!sent) return { bytes, messages }
  }
}

/**
 * Writes `meeting(i)` for i in [from, to) into `doc`, one Automerge change each (the same data, in a map
 * keyed like the event). Through Automerge's core: its JS document API copies the whole map on every
 * change, which made 10,000 separate changes take over a minute here and 100,000 out of reach. Strings
 * are scalars, as Bayou's fields are (the JS API's default, text with an op per character, ~2× the bytes).
 */
function automergeWrites (doc: Automerge.Doc<Agenda>, from: number, to: number): Automerge.Doc<Agenda> {
  const core = Automerge.getBackend(Automerge.clone(doc))
  const events = (core.getWithType('_root', 'events') as [string, string])[1]
  for (let i = from; i < to; i++) {
    core.putObject(events, `meeting-${i}`, meeting(i) as unknown as Record<string, never>)
    core.commit(null, Math.floor(Date.now() / 1000)) // the timestamp Automerge.change() records
  }
  return Automerge.load<Agenda>(core.save())
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const pad = (x: string | number, n: number): string => String(x).padStart(n)

console.log('1. Anti-entropy to a fresh replica: Bayou (writes + commit notices, signed and verified) beside Automerge')
console.log('       N | system    | write ms | sync ms | wire bytes | bytes/write | own size/write | then 100 more: bytes, ms')
for (const n of SIZES) {
  let now = 1
  const primary = Replica.create({ calendar: CALENDAR, name: 'bench', signer: signer(), now: now++ })
  let t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) primary.issue(meeting(i), now++)
  const writeMs = ms(t0)
  const own = primary.log().reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.write)), 0)
  const opOwn = primary.log().reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.write.op)), 0)

  const fresh = Replica.joining({ calendar: CALENDAR, id: '<1,R>', signer: signer() })
  t0 = process.hrtime.bigint()
  const { bytes } = transfer(primary.batchFor(EMPTY_SUMMARY), fresh)
  const syncMs = ms(t0)
  if (fresh.csn !== primary.csn) throw new Error('replicas differ after sync')
  // Incremental: 100 more writes; the receiver's version vector and CSN say it has the rest.
  for (let i = n; i < n + 100; i++) primary.issue(meeting(i), now++)
  t0 = process.hrtime.bigint()
  const incremental = primary.batchFor(fresh.summary())
  const sent = transfer(incremental, fresh)
  const incrementalMs = ms(t0)
  if (incremental.writes.length !== 100 || fresh.csn !== primary.csn) throw new Error('incremental sync sent the wrong writes')
  console.log(`${pad(n, 8)} | Bayou     | ${pad(writeMs.toFixed(0), 8)} | ${pad(syncMs.toFixed(0), 7)} | ${pad(bytes, 10)} | ${pad((bytes / n).toFixed(0), 11)} | ${pad(`${(own / (n + 1)).toFixed(0)} (op ${(opOwn / (n + 1)).toFixed(0)})`, 14)} | ${sent.bytes}, ${incrementalMs.toFixed(1)}`)

  // Baseline within Bayou: a receiver behind the truncation point gets the stable database instead.
  primary.truncate(primary.csn)
  const viaSnapshot = Replica.joining({ calendar: CALENDAR, id: '<1,R>', signer: signer() })
  t0 = process.hrtime.bigint()
  const snapshot = transfer(primary.batchFor(EMPTY_SUMMARY), viaSnapshot)
  console.log(`${''.padStart(8)} | (Bayou stable database instead of the log: ${snapshot.bytes} bytes, ${ms(t0).toFixed(0)} ms)`)

  // Automerge: the same N writes, one change each, by one actor; synced to an empty document.
  t0 = process.hrtime.bigint()
  const doc = automergeWrites(Automerge.from<Agenda>({ events: {} }), 0, n)
  const amWriteMs = ms(t0)
  if (Automerge.getAllChanges(doc).length !== n + 1) throw new Error('not one Automerge change per write')
  const source = { doc, state: Automerge.initSyncState() }
  const target = { doc: Automerge.init<Agenda>(), state: Automerge.initSyncState() }
  t0 = process.hrtime.bigint()
  const am = automergeSync(source, target)
  const amSyncMs = ms(t0)
  if (Object.keys(target.doc.events).length !== n) throw new Error('Automerge documents differ after sync')
  source.doc = automergeWrites(source.doc, n, n + 100)
  t0 = process.hrtime.bigint()
  const amMore = automergeSync(source, target)
  const amMoreMs = ms(t0)
  if (Object.keys(target.doc.events).length !== n + 100) throw new Error('Automerge incremental sync lost writes')
  console.log(`${''.padStart(8)} | Automerge | ${pad(amWriteMs.toFixed(0), 8)} | ${pad(amSyncMs.toFixed(0), 7)} | ${pad(am.bytes, 10)} | ${pad((am.bytes / n).toFixed(0), 11)} | ${pad(`op ${(opOwn / (n + 1)).toFixed(0)}`, 14)} | ${amMore.bytes}, ${amMoreMs.toFixed(1)} (${am.messages} + ${amMore.messages} messages)`)
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
