// Shared framing for every Tidepool protocol: length-prefixed frames with a size cap, JSON messages
// validated by a zod schema before any handler sees them. Peers are untrusted; this is the border.
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { AbortOptions, Stream } from '@libp2p/interface'
import type { z } from 'zod'
import type { Uint8ArrayList } from 'uint8arraylist'
import { CodedError } from '../coded-error.ts'

export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024
/** How long one read or write may take before the stream is given up on. */
export const DEFAULT_MESSAGE_TIMEOUT_MS = 30_000

export type WireErrorCode = 'too-large' | 'malformed' | 'invalid' | 'closed' | 'timeout'

/** A peer broke the protocol (or went away). The stream is aborted; nothing it sent is used. */
export class WireError extends CodedError<WireErrorCode> {
  override name = 'WireError'
}

export interface MessageChannel {
  /** The next frame as JSON, validated against schema. */
  read: <S extends z.ZodType>(schema: S, options?: AbortOptions) => Promise<z.infer<S>>
  /** The next frame's raw bytes (for binary payloads such as file chunks). */
  readBytes: (options?: AbortOptions) => Promise<Uint8Array>
  /** The next frame as the pieces it arrived in, not joined: no copy for a consumer that can take pieces. */
  readPieces: (options?: AbortOptions) => Promise<Uint8Array[]>
  write: (message: unknown, options?: AbortOptions) => Promise<void>
  writeBytes: (bytes: Uint8Array, options?: AbortOptions) => Promise<void>
  /**
   * Several binary frames in one send, so the muxer can carry them in one frame of its own: for bulk data,
   * where a muxer frame (and the window update it costs the reader) per small frame is much of the CPU.
   * The reader buffers what arrives, so its channel must accept the whole batch.
   */
  writeFrames: (frames: Uint8Array[], options?: AbortOptions) => Promise<void>
  /** Closes our side for writing and waits for the stream to finish. */
  close: (options?: AbortOptions) => Promise<void>
  /** Aborts the stream, telling the peer why. */
  abort: (err: Error) => void
  readonly stream: Stream
}

/** A JSON message as the bytes of its frame (for writeFrames). */
export function encodeMessage (message: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message))
}

function withTimeout (options: AbortOptions | undefined, ms: number): AbortSignal {
  return AbortSignal.any([AbortSignal.timeout(ms), ...(options?.signal != null ? [options.signal] : [])])
}

function toWireError (err: unknown, maxBytes: number): WireError {
  if (err instanceof WireError) return err
  const e = err as Error & { name?: string, code?: string }
  if (e.name === 'InvalidDataLengthError' || e.name === 'InvalidDataLengthLengthError' || e.code === 'ERR_MSG_DATA_TOO_LONG') {
    return new WireError('too-large', `message over ${maxBytes} bytes`)
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new WireError('timeout', e.message)
  if (e.name === 'UnexpectedEOFError' || e.name === 'StreamResetError' || e.name === 'StreamStateError') return new WireError('closed', e.message)
  return new WireError('malformed', e.message)
}

export function messageChannel (stream: Stream, options: { maxMessageBytes?: number, timeoutMs?: number } = {}): MessageChannel {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
  const timeoutMs = options.timeoutMs ?? DEFAULT_MESSAGE_TIMEOUT_MS
  const lp: LengthPrefixedStream<Stream> = lpStream(stream, { maxDataLength: maxBytes, maxBufferSize: maxBytes + 16 })

  const readFrame = async (opts?: AbortOptions): Promise<Uint8ArrayList> => {
    try {
      return await lp.read({ signal: withTimeout(opts, timeoutMs) })
    } catch (err) {
      const wireError = toWireError(err, maxBytes)
      stream.abort(wireError)
      throw wireError
    }
  }
  const readBytes = async (opts?: AbortOptions): Promise<Uint8Array> => (await readFrame(opts)).subarray()

  return {
    stream,
    readBytes,
    readPieces: async opts => [...await readFrame(opts)],
    async read (schema, opts) {
      const bytes = await readBytes(opts)
      let value: unknown
      try {
        value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
      } catch (err) {
        const wireError = new WireError('malformed', `not a JSON message: ${(err as Error).message}`)
        stream.abort(wireError)
        throw wireError
      }
      const parsed = schema.safeParse(value)
      if (!parsed.success) {
        const wireError = new WireError('invalid', parsed.error.issues.map(i => `${i.path.join('.') || 'message'}: ${i.message}`).join('; '))
        stream.abort(wireError)
        throw wireError
      }
      return parsed.data
    },
    async write (message, opts) {
      await this.writeBytes(encodeMessage(message), opts)
    },
    async writeBytes (bytes, opts) {
      await this.writeFrames([bytes], opts)
    },
    async writeFrames (frames, opts) {
      const oversized = frames.find(f => f.byteLength > maxBytes)
      if (oversized !== undefined) throw new WireError('too-large', `refusing to send ${oversized.byteLength} bytes (limit ${maxBytes})`)
      try {
        await lp.writeV(frames, { signal: withTimeout(opts, timeoutMs) })
      } catch (err) {
        throw toWireError(err, maxBytes)
      }
    },
    async close (opts) {
      await stream.close({ signal: withTimeout(opts, timeoutMs) }).catch(err => { stream.abort(err as Error) })
    },
    abort (err) {
      stream.abort(err)
    }
  }
}
