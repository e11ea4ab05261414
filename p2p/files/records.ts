// What the library remembers about each file, validated when read back from disk.
import { z } from 'zod'
import { MIN_RATE_CAP } from './protocol.ts'

export const MAX_PROVIDERS_SEEN = 32

export const FILE_STATES = ['sharing', 'downloading', 'complete', 'paused', 'failed'] as const
export type FileState = typeof FILE_STATES[number]

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
  maxBytesPerSecond: z.number().int().positive().optional(),
  /** The providers a finished (or stopped) download got verified chunks from, at most MAX_PROVIDERS_SEEN. */
  providersSeen: z.array(z.string().max(128)).max(MAX_PROVIDERS_SEEN).optional(),
  /** A private share's key (base64url); kept only in this peer's database, sent only inside links. */
  key: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
  error: z.string().optional()
}).strict()
export type FileRecord = z.infer<typeof FileRecord>

/** A library entry as the API and the UI see it: the record plus live download progress. */
export interface FileEntry {
  cid: string
  name: string
  size: number | null
  state: FileState
  origin: 'added' | 'downloaded'
  pinned: boolean
  /** Whether the stored bytes are a private share's ciphertext. */
  private: boolean
  link: string
  bytesDone: number
  rateBytesPerSec: number
  etaSeconds: number | null
  /** Peer ids: those pulled from now while downloading; afterwards those that delivered verified chunks. */
  providers: string[]
  dropped: string[]
  fetchedChunks: number
  resumedChunks: number
  /** Where the finished bytes are on this machine (the `dest` copy if asked for); null until complete. */
  path: string | null
  error?: string
  /**
   * Grows with every entry this peer builds, across restarts too: an API answer and an event can reach
   * the UI in either order, and the UI keeps the entry with the larger version (the newer snapshot).
   */
  version: number
}

/** The peer's file-sharing settings. */
export const FilesSettings = z.object({
  /** A cap on what this peer uploads, all downloaders together; null for none. */
  maxUploadBytesPerSecond: z.number().int().min(MIN_RATE_CAP).nullable()
}).strict()
export type FilesSettings = z.infer<typeof FilesSettings>

export const DEFAULT_FILES_SETTINGS: FilesSettings = { maxUploadBytesPerSecond: null }
