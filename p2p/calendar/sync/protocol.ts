// /tidepool/<network>/calendar-sync/3.1.0 — the messages and their limits (see ../README.md).
import { z } from 'zod'
import { CalendarId, Hash, PeerIdString, ReplicaIdSchema, Signature, Stamp } from '../bayou/write.ts'
import { Op } from '../bayou/ops.ts'
import { Snapshot, Summary } from '../bayou/messages.ts'
import { STABLE_TABLES } from '../bayou/rows.ts'

/** 3.1.0: a series or occurrence change may say `reminderMinutes: null` (no reminder), which 3.0.0 refuses. */
export const PROTOCOL_VERSION = '3.1.0'
/** Peers still on these versions are answered with a refusal that says to update, in their own format. */
export const PREVIOUS_PROTOCOL_VERSIONS = ['2.0.0', '3.0.0'] as const

export function calendarSyncProtocol (network: string, version = PROTOCOL_VERSION): string {
  return `/tidepool/${network}/calendar-sync/${version}`
}

/** A frame as sent: deflated. */
export const MAX_FRAME_BYTES = 1024 * 1024
/** A frame inflated: what a receiver parses at most (a deflate bomb stops here). */
export const MAX_RAW_FRAME_BYTES = 4 * 1024 * 1024
/** A stable database arrives in parts; this caps what a receiver collects before checking it whole. */
export const MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024
/** Frames are cut at about this many bytes of JSON before deflating. */
export const TARGET_CHUNK_BYTES = 256 * 1024
/** Writes (and notices) a frame: bounds what one frame costs to check and apply (the event loop's turn). */
export const MAX_WRITES_PER_FRAME = 1024

const Secret = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an invite secret')

/** The initiator's first message: sync as a member, or join with an invite's secret. */
export const Opening = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), calendar: CalendarId, summary: Summary }).strict(),
  z.object({ type: z.literal('join'), calendar: CalendarId, secret: Secret }).strict()
])
export type Opening = z.infer<typeof Opening>

export const RefusalCode = z.enum(['not-member', 'unknown-calendar', 'bad-invite'])
export type RefusalCode = z.infer<typeof RefusalCode>

export const Answer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('refused'), code: RefusalCode, reason: z.string().max(500) }).strict(),
  /** For a join, the id of the replica made for the joiner. */
  z.object({ type: z.literal('accepted'), replica: z.string().min(1).max(400).optional() }).strict()
])
export type Answer = z.infer<typeof Answer>

/** A write in a run: [stamp − the previous one's in the run (the first: its stamp), op, version-2 signature?]. */
const RunWrite = z.union([z.tuple([Stamp, Op]), z.tuple([Stamp, Op, Signature])])
/** One replica's writes in its chain order, linked to `prev`; `sig` (the author's, over the last one's hash) vouches for them. */
export const WriteRun = z.object({
  replica: ReplicaIdSchema,
  author: PeerIdString,
  prev: Hash,
  writes: z.array(RunWrite).min(1).max(MAX_WRITES_PER_FRAME),
  sig: Signature.optional()
}).strict()
export type WriteRun = z.infer<typeof WriteRun>

/** One primary's notices for CSNs csn, csn+1, …: [replica, stamp of the write, version-2 signature?]. */
const RunNotice = z.union([z.tuple([ReplicaIdSchema, Stamp]), z.tuple([ReplicaIdSchema, Stamp, Signature])])
export const CommitRun = z.object({
  primary: PeerIdString,
  csn: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  prev: Hash,
  notices: z.array(RunNotice).min(1).max(MAX_WRITES_PER_FRAME),
  sig: Signature.optional()
}).strict()
export type CommitRun = z.infer<typeof CommitRun>

const count = (runs: Array<{ writes: unknown[] } | { notices: unknown[] }>): number => runs.reduce((n, r) => n + ('writes' in r ? r.writes.length : r.notices.length), 0)

/** A slice of a Bayou batch, in log order; `end` closes one direction and carries the sender's summary. */
export const Frame = z.discriminatedUnion('type', [
  /** Rows of one table of a stable database; the `snapshot` frame that follows completes it. */
  z.object({ type: z.literal('snapshot-part'), table: z.enum(STABLE_TABLES), rows: z.record(z.string().max(400), z.unknown()) }).strict(),
  z.object({ type: z.literal('snapshot'), snapshot: Snapshot }).strict(),
  z.object({
    type: z.literal('writes'),
    runs: z.array(WriteRun).refine(runs => count(runs) <= MAX_WRITES_PER_FRAME, `over ${MAX_WRITES_PER_FRAME} writes`),
    commits: z.array(CommitRun).refine(runs => count(runs) <= MAX_WRITES_PER_FRAME, `over ${MAX_WRITES_PER_FRAME} notices`)
  }).strict(),
  z.object({ type: z.literal('end'), summary: Summary.optional() }).strict()
])
export type Frame = z.infer<typeof Frame>

/** What a receiver applies: write frames, and a stable database once all its parts are in. */
export type DataFrame = Extract<Frame, { type: 'snapshot' | 'writes' }>
