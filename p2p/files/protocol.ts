// The files protocol's messages (zod schemas) and limits. Pure: no streams here.
import { z } from 'zod'
import { MAX_LEAF_BYTES } from './dag.ts'

export const filesProtocol = (network: string): string => `/tidepool/${network}/files/1.0.0`

/** Largest frame either side accepts: one leaf, or one inner block. */
export const MAX_FRAME_BYTES = MAX_LEAF_BYTES
/** Chunks one range request may ask for. */
export const MAX_RANGE_CHUNKS = 64
/**
 * Bytes a downloader keeps requested but unreceived per provider: the flow control. libp2p buffers what
 * arrives whether or not we read, so the downloader's channel must be able to hold a whole window.
 */
export const WINDOW_BYTES = 8 * 1024 * 1024
export const CLIENT_BUFFER_BYTES = WINDOW_BYTES + 2 * MAX_FRAME_BYTES
/** Chunks per range request. */
export const RANGE_CHUNKS = 8
/**
 * A provider gives up a stream on which the downloader has asked for nothing (or read nothing) this long,
 * freeing the stream slot and the open file that an idle or vanished downloader would otherwise hold.
 */
export const SERVE_IDLE_TIMEOUT_MS = 30_000
/** Under a rate cap a downloader waits before each range, so ranges are sized to wait at most this. */
export const CAPPED_RUN_MS = 10_000

const Cid = z.string().min(8).max(128).regex(/^[a-zA-Z0-9]+$/)

export const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('manifest'), root: Cid }).strict(),
  z.object({
    type: z.literal('range'),
    root: Cid,
    start: z.number().int().nonnegative(),
    count: z.number().int().min(1).max(MAX_RANGE_CHUNKS)
  }).strict()
])
export type Request = z.infer<typeof Request>

/** Sent before the inner blocks (binary frames) of a manifest. */
export const ManifestHeader = z.discriminatedUnion('type', [
  z.object({ type: z.literal('manifest'), size: z.number().int().nonnegative(), blocks: z.number().int().nonnegative().max(65_536) }).strict(),
  z.object({ type: z.literal('missing') }).strict()
])
export type ManifestHeader = z.infer<typeof ManifestHeader>

/** Sent before the chunks (binary frames) of a range. */
export const RangeHeader = z.discriminatedUnion('type', [
  z.object({ type: z.literal('range'), start: z.number().int().nonnegative(), count: z.number().int().min(1).max(MAX_RANGE_CHUNKS) }).strict(),
  z.object({ type: z.literal('missing') }).strict()
])
export type RangeHeader = z.infer<typeof RangeHeader>
