// What replicas send each other in anti-entropy, as zod schemas: a receiver validates every frame
// against these before the replica's rules see it (sync/protocol.ts, sync/chunks.ts).
import { z } from 'zod'
import { StableDatabase } from './rows.ts'
import { CalendarId, Hash, type CommitNotice, type Write } from './write.ts'

const VersionVectorSchema = z.record(z.string().max(400), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER))
  .refine(vv => Object.keys(vv).length <= 10_000, 'too many replicas')

/** The stable database as of CSN `csn`: sent instead of a log prefix this replica has truncated. */
export const Snapshot = z.object({
  calendar: CalendarId,
  csn: z.number().int().min(1),
  /** Per replica, the highest stamp among the committed writes: what the snapshot covers. */
  cvv: VersionVectorSchema,
  primary: z.string().min(1).max(400),
  committedReplicas: z.record(z.string().max(400), z.boolean()),
  /** Per replica, the chain hash of its newest write the snapshot covers; the commit chain's at `csn`. */
  heads: z.record(z.string().max(400), Hash).refine(h => Object.keys(h).length <= 10_000, 'too many replicas'),
  commitHead: Hash.optional(),
  db: StableDatabase
}).strict()
export type Snapshot = z.infer<typeof Snapshot>

/** What a receiver tells a sender at the start of anti-entropy. */
export const Summary = z.object({ vv: VersionVectorSchema, csn: z.number().int().min(0) }).strict()
export type Summary = z.infer<typeof Summary>

/**
 * What a sender sends: in log order, so any prefix of `writes` (with the notices for it) is valid. Each
 * replica's writes, and each primary's notices, end at one whose signature the sender holds.
 */
export interface Batch { snapshot?: Snapshot, writes: Write[], commits: CommitNotice[] }
