// The attack race table computed in a one-off worker thread, given up after a time limit.
import { Worker } from 'node:worker_threads'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RaceResult } from './race.ts'

export const ATTACK_TIMEOUT_MS = 60_000
const WORKER_URL = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

export interface AttackJob { q: number, z: number[], trials: number, seed: number }

export class AttackTimeoutError extends Error {
  override name = 'AttackTimeoutError'
  readonly code = 'timeout'
}

export async function simulateAttackInWorker (job: AttackJob): Promise<RaceResult[]> {
  const worker = new Worker(WORKER_URL, { workerData: job })
  try {
    return await new Promise<RaceResult[]>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new AttackTimeoutError(`the simulation took over ${ATTACK_TIMEOUT_MS / 1000} s: ask for fewer trials`)) }, ATTACK_TIMEOUT_MS)
      worker.once('message', results => { clearTimeout(timer); resolve(results as RaceResult[]) })
      worker.once('error', err => { clearTimeout(timer); reject(err) })
    })
  } finally {
    await worker.terminate()
  }
}
