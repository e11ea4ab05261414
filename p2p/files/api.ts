// The files capability's published API contract (docs/API.md, "Files"): library entries, settings,
// the events. Pure (zod only), so the renderer validates with these same schemas.
import { z } from 'zod'

/** The lowest rate cap (bytes/s): a single chunk's wait under it (4 s) stays well inside a provider's idle timeout. */
export const MIN_RATE_CAP = 64 * 1024

/** A download that found no provider in this long fails, with Retry (a setting changes it). */
export const NO_PROVIDER_TIMEOUT_SECONDS = 120

export const FILE_STATES = ['sharing', 'downloading', 'complete', 'paused', 'failed'] as const
export type FileState = typeof FILE_STATES[number]

const Count = z.number().finite().nonnegative()

/** A library entry as the API and the UI see it: the record plus live download progress. */
export const FileEntry = z.object({
  cid: z.string(),
  name: z.string(),
  size: Count.nullable(),
  state: z.enum(FILE_STATES),
  origin: z.enum(['added', 'downloaded']),
  pinned: z.boolean(),
  /** Whether the stored bytes are a private share's ciphertext. */
  private: z.boolean(),
  link: z.string(),
  bytesDone: Count,
  rateBytesPerSec: Count,
  etaSeconds: Count.nullable(),
  /** Peer ids: those pulled from now while downloading; afterwards those that delivered verified chunks. */
  providers: z.array(z.string()),
  dropped: z.array(z.string()),
  fetchedChunks: Count,
  resumedChunks: Count,
  /** Where the finished bytes are on this machine (the `dest` copy if asked for); null until complete. */
  path: z.string().nullable(),
  /** The finished download saved under its shared name (`dest`, or in the download folder); null if none. */
  saved: z.string().nullable(),
  error: z.string().optional(),
  /**
   * Grows with every entry this peer builds, across restarts too: an API answer and an event can reach
   * the UI in either order, and the UI keeps the entry with the larger version (the newer snapshot).
   */
  version: Count
})
export type FileEntry = z.infer<typeof FileEntry>

/** The peer's file-sharing settings. */
export const FilesSettings = z.object({
  /** A cap on what this peer uploads, all downloaders together; null for none. */
  maxUploadBytesPerSecond: z.number().int().min(MIN_RATE_CAP).nullable(),
  /** How long a download looks for a provider before it fails with "no provider found" (default NO_PROVIDER_TIMEOUT_SECONDS). */
  noProviderTimeoutSeconds: z.number().int().min(1).max(86_400).optional(),
  /**
   * The folder finished downloads are saved in under their shared names, never over a file (`a (1).txt`);
   * null: kept only in the library. Absent: the peer's default (`--downloads-dir`, else the user's
   * Downloads folder; none on a test network); a GET answers with the folder in use.
   */
  downloadFolder: z.string().min(1).max(4096).nullable().optional()
}).strict()
export type FilesSettings = z.infer<typeof FilesSettings>

export interface RemovedFile { removed: string }

export const FilesEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('files:progress'), file: FileEntry }),
  z.object({ type: z.literal('files:removed'), cid: z.string() })
])
export type FilesEvent = z.infer<typeof FilesEvent>

/** The codes the files routes answer with (besides the API's own, ApiBaseErrorCode). */
export type { FilesErrorCode } from './errors.ts'
