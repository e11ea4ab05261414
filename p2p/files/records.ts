// What the library remembers about each file, validated when read back from disk.
import { z } from 'zod'
import { FILE_STATES, type FilesSettings } from './api.ts'

export const MAX_PROVIDERS_SEEN = 32

export const FileRecord = z.object({
  cid: z.string(),
  name: z.string(),
  /** Bytes of the stored content (the ciphertext for a private share); null until a manifest arrives. */
  size: z.number().int().nonnegative().nullable(),
  state: z.enum(FILE_STATES),
  origin: z.enum(['added', 'downloaded']),
  /** Whether we announce ourselves as a provider. */
  pinned: z.boolean(),
  createdAt: z.number(),
  /** Where a finished download is copied (besides the content store). */
  dest: z.string().optional(),
  /** The copy to `dest` may replace a file already there. */
  overwrite: z.boolean().optional(),
  /** content/<cid> holds the whole verified file: set when a download finishes, before any copy to `dest`. */
  verified: z.boolean().optional(),
  maxBytesPerSecond: z.number().int().positive().optional(),
  /** The providers a finished (or stopped) download got verified chunks from, at most MAX_PROVIDERS_SEEN. */
  providersSeen: z.array(z.string().max(128)).max(MAX_PROVIDERS_SEEN).optional(),
  /** A private share's key (base64url); kept only in this peer's database, sent only inside links. */
  key: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
  error: z.string().optional()
}).strict()
export type FileRecord = z.infer<typeof FileRecord>

export const DEFAULT_FILES_SETTINGS: FilesSettings = { maxUploadBytesPerSecond: null }
