// Parses one .ics file off the main thread (see in-worker.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { CalendarError } from '../errors.ts'
import { parseIcs } from './parse.ts'

const SLICE = 100

try {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(workerData as Uint8Array)
  } catch {
    throw new CalendarError('bad-ics', 'the .ics file is not UTF-8 text')
  }
  const { events, warnings } = parseIcs(text)
  // In slices: the main thread then takes them in one small piece at a time, between other work.
  for (let i = 0; i < events.length; i += SLICE) parentPort?.postMessage({ events: events.slice(i, i + SLICE) })
  parentPort?.postMessage({ ok: true, warnings })
} catch (err) {
  parentPort?.postMessage(err instanceof CalendarError ? { ok: false, message: err.message } : { ok: false, message: `the file could not be read: ${(err as Error).message}` })
}
