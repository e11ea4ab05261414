// The serving side of /tidepool/<network>/files/1.0.0: answers manifest and range requests, in order,
// for the files this peer shares, until the downloader closes the stream.
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { FileHandle } from 'node:fs/promises'
import { encodeMessage, messageChannel, WireError, type MessageChannel } from '../wire/index.ts'
import { MAX_FRAME_BYTES, Request, SERVE_IDLE_TIMEOUT_MS } from './protocol.ts'
import { readAt, type FileStore } from './store.ts'
import type { FileLayout, Leaf } from './dag.ts'
import type { RateLimit } from './meter.ts'

/** Bytes read from disk at once; a stream holds at most two batches. */
const READ_BATCH_BYTES = 2 * 1024 * 1024

/** Splits consecutive leaves into runs of at most maxBytes (or one leaf). */
function readBatches (leaves: Leaf[], maxBytes: number): Leaf[][] {
  const batches: Leaf[][] = []
  let bytes = Infinity
  for (const leaf of leaves) {
    if (bytes + leaf.size > maxBytes) { batches.push([]); bytes = 0 }
    batches.at(-1)!.push(leaf)
    bytes += leaf.size
  }
  return batches
}

/** The layout of a file we serve, or undefined when we don't share it (now). */
async function servable (store: FileStore, cid: string): Promise<FileLayout | undefined> {
  const record = await store.record(cid)
  if (record === undefined || !record.pinned || (record.state !== 'sharing' && record.state !== 'complete')) return undefined
  return await store.layout(cid)
}

async function sendManifest (channel: MessageChannel, store: FileStore, layout: FileLayout): Promise<void> {
  await channel.write({ type: 'manifest', size: layout.size, blocks: layout.inner.length })
  for (const cid of layout.inner) {
    const bytes = await store.block(cid.toString())
    if (bytes === undefined) throw new WireError('closed', `inner block ${cid.toString()} is gone`)
    await channel.writeBytes(bytes)
  }
}

/** Waits until the cap allows bytes more, then counts them. */
async function paced (limit: RateLimit, bytes: number): Promise<void> {
  const wait = limit.wait(Date.now())
  if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
  limit.take(bytes, Date.now())
}

export interface ServeOptions {
  idleTimeoutMs?: number
  /**
   * The peer's upload cap, shared by all its streams; asked per range, so a new cap applies at once.
   * Under a cap a range goes out one chunk at a time, so streams take turns and no wait is long.
   */
  uploadLimit?: () => RateLimit | undefined
}

/** `failed`: told of a stream that ended in error, with its sender (scored and logged by the node's conduct). */
export function filesHandler (store: FileStore, failed: (peer: PeerId, err: Error) => void, options: ServeOptions = {}): (stream: Stream, connection: Connection) => Promise<void> {
  return async (stream, connection) => {
    // Every read (the next request) and write (the downloader taking a chunk) must happen within the idle timeout.
    const channel = messageChannel(stream, { maxMessageBytes: MAX_FRAME_BYTES, timeoutMs: options.idleTimeoutMs ?? SERVE_IDLE_TIMEOUT_MS })
    const open = new Map<string, FileHandle>()
    try {
      for (;;) {
        const request = await channel.read(Request)
        const layout = await servable(store, request.root)
        if (layout === undefined) {
          await channel.write({ type: 'missing' })
          continue
        }
        if (request.type === 'manifest') {
          await sendManifest(channel, store, layout)
          continue
        }
        if (request.start + request.count > layout.leaves.length) {
          throw new WireError('invalid', `chunks ${request.start}+${request.count} past the file's ${layout.leaves.length}`)
        }
        let file = open.get(request.root)
        if (file === undefined) {
          file = await store.openContent(request.root)
          open.set(request.root, file)
        }
        const header = encodeMessage({ type: 'range', start: request.start, count: request.count })
        // Consecutive chunks are read from disk in batches (one read each), the next batch while this one is on
        // the wire; a batch goes out in one send (the header with the first), so in a few large muxer frames.
        const limit = options.uploadLimit?.()
        const batches = readBatches(layout.leaves.slice(request.start, request.start + request.count), limit === undefined ? READ_BATCH_BYTES : 0)
        const read = (batch: Leaf[]): Promise<Uint8Array> => {
          const last = batch.at(-1)!
          const reading = readAt(file, batch[0]!.offset, last.offset + last.size - batch[0]!.offset)
          reading.catch(() => {}) // awaited below; this only keeps an abandoned read from crashing us
          return reading
        }
        let next = read(batches[0]!)
        for (let b = 0; b < batches.length; b++) {
          const bytes = await next
          if (b + 1 < batches.length) next = read(batches[b + 1]!)
          const frames: Uint8Array[] = b === 0 ? [header] : []
          let at = 0
          for (const leaf of batches[b]!) {
            frames.push(bytes.subarray(at, at + leaf.size))
            at += leaf.size
          }
          if (limit !== undefined) await paced(limit, bytes.byteLength)
          await channel.writeFrames(frames)
        }
      }
    } catch (err) {
      // The downloader closing its side ends the conversation normally.
      if (!(err instanceof WireError && err.code === 'closed')) {
        failed(connection.remotePeer, err as Error)
        channel.abort(err as Error)
      }
    } finally {
      for (const file of open.values()) await file.close().catch(() => {})
    }
  }
}
