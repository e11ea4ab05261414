// .ics parsing in a one-off worker thread, so a 10 MiB file does not hold up the peer's event loop
// (GET /api/status keeps answering while it is read). Any failure is a `bad-ics` CalendarError.
import { Worker } from 'node:worker_threads'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CalendarError } from '../errors.ts'
import type { ParsedIcs } from './parse.ts'

const WORKER_URL = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)
export const PARSE_TIMEOUT_MS = 60_000

/** Parses the file's bytes (handed over to the worker, not copied: the caller must not use them again). */
export async function parseIcsInWorker (bytes: Uint8Array): Promise<ParsedIcs> {
  const worker = new Worker(WORKER_URL, { workerData: bytes, transferList: [bytes.buffer as ArrayBuffer] })
  try {
    const events: ParsedIcs['events'] = []
    const reply = await new Promise<{ ok: true, warnings: string[] } | { ok: false, message: string }>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new CalendarError('bad-ics', `reading the file took over ${PARSE_TIMEOUT_MS / 1000} s`)) }, PARSE_TIMEOUT_MS)
      worker.on('message', (message: { events: ParsedIcs['events'] } | { ok: true, warnings: string[] } | { ok: false, message: string }) => {
        if ('events' in message) { events.push(...message.events); return }
        clearTimeout(timer)
        resolve(message)
      })
      worker.once('error', err => { clearTimeout(timer); reject(new CalendarError('bad-ics', `the file could not be read: ${err.message}`)) })
    })
    if (!reply.ok) throw new CalendarError('bad-ics', reply.message)
    return { events, warnings: reply.warnings }
  } finally {
    await worker.terminate()
  }
}
