// A mining thread: searches the nonce range it is given in short chunks, so a new job (a new tip)
// replaces the old one within milliseconds, and reports hashes done and any nonce found.
import { parentPort } from 'node:worker_threads'
import { searchNonces } from './sha256d-kernel.ts'
import type { ToWorker, FromWorker } from './messages.ts'

/** Nonces per chunk: about 10-20 ms of work, the longest a stale job keeps running. */
const CHUNK = 16_384

interface Job { id: number, header: Uint8Array, target: Uint32Array, next: number, to: number }

let current: Job | undefined
let running = false
const post = (message: FromWorker): void => { parentPort!.postMessage(message) }

async function loop (): Promise<void> {
  running = true
  while (current !== undefined) {
    const job = current
    const end = Math.min(job.next + CHUNK, job.to)
    const nonce = searchNonces(job.header, job.target, job.next, end)
    post({ type: 'progress', id: job.id, hashes: (nonce >= 0 ? nonce + 1 : end) - job.next })
    if (nonce >= 0) post({ type: 'found', id: job.id, nonce })
    else if (end >= job.to) post({ type: 'exhausted', id: job.id })
    else job.next = end
    if ((nonce >= 0 || end >= job.to) && current === job) current = undefined
    // Let a new job arrive between chunks.
    await new Promise(resolve => setImmediate(resolve))
  }
  running = false
}

parentPort!.on('message', (message: ToWorker) => {
  current = { id: message.id, header: message.header, target: message.target, next: message.from, to: message.to }
  if (!running) void loop()
})
