// /tidepool/<network>/calendar-sync/2.0.0 — the messages and their limits (see ../README.md).
import { z } from 'zod'
import { CommitNotice, Write, CalendarId } from '../bayou/write.ts'
import { Snapshot, Summary } from '../bayou/messages.ts'
import { STABLE_TABLES } from '../bayou/rows.ts'

export function calendarSyncProtocol (network: string): string {
  return `/tidepool/${network}/calendar-sync/2.0.0`
}

export const MAX_FRAME_BYTES = 1024 * 1024
/** A stable database arrives in parts; this caps what a receiver collects before checking it whole. */
export const MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024
/** Writes (and their commit notices) per frame are cut at about this many bytes of JSON. */
export const TARGET_CHUNK_BYTES = 256 * 1024
export const MAX_WRITES_PER_FRAME = 4096

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

/** A slice of a Bayou batch, in log order; `end` closes one direction and carries the sender's summary. */
export const Frame = z.discriminatedUnion('type', [
  /** Rows of one table of a stable database; the `snapshot` frame that follows completes it. */
  z.object({ type: z.literal('snapshot-part'), table: z.enum(STABLE_TABLES), rows: z.record(z.string().max(400), z.unknown()) }).strict(),
  z.object({ type: z.literal('snapshot'), snapshot: Snapshot }).strict(),
  z.object({ type: z.literal('writes'), writes: z.array(Write).max(MAX_WRITES_PER_FRAME), commits: z.array(CommitNotice).max(MAX_WRITES_PER_FRAME) }).strict(),
  z.object({ type: z.literal('end'), summary: Summary.optional() }).strict()
])
export type Frame = z.infer<typeof Frame>

/** What a receiver applies: write frames, and a stable database once all its parts are in. */
export type DataFrame = Extract<Frame, { type: 'snapshot' | 'writes' }>
