// A frame on the wire: its JSON, deflated (raw DEFLATE, RFC 1951). Writes travel as runs (one replica's
// writes: one author, one link, stamps as differences, one signature), so the JSON is mostly the ops
// themselves, and DEFLATE folds their repeated keys and words away. Decoding inflates at most
// MAX_RAW_FRAME_BYTES and validates the whole frame against its schema before anyone sees it.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { WireError } from '../../wire/index.ts'
import { Frame, MAX_RAW_FRAME_BYTES } from './protocol.ts'

/** Fast DEFLATE: level 6 saves under 10 % more bytes on calendar frames and costs twice the time. */
const LEVEL = 1

export function encodeFrame (frame: Frame): Uint8Array {
  return deflateRawSync(JSON.stringify(frame), { level: LEVEL })
}

/** The frame, and its size inflated (what a stable database's parts count against their cap). */
export function decodeFrame (bytes: Uint8Array): { frame: Frame, size: number } {
  let text: string
  let size: number
  try {
    const raw = inflateRawSync(bytes, { maxOutputLength: MAX_RAW_FRAME_BYTES })
    size = raw.byteLength
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw)
  } catch (err) {
    const e = err as Error & { code?: string }
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new WireError('too-large', `frame inflates past ${MAX_RAW_FRAME_BYTES} bytes`)
    throw new WireError('malformed', `not a deflated frame: ${e.message}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new WireError('malformed', `not a JSON frame: ${(err as Error).message}`)
  }
  const parsed = Frame.safeParse(value)
  if (!parsed.success) throw new WireError('invalid', parsed.error.issues.slice(0, 3).map(i => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; '))
  return { frame: parsed.data, size }
}
