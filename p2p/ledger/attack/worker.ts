// Runs simulate-attack off the API's event loop: a long race table would otherwise stall every request.
import { parentPort, workerData } from 'node:worker_threads'
import { simulateAttack } from './race.ts'
import { seededRandom } from '../../seeded-random.ts'
import type { AttackJob } from './in-worker.ts'

const job = workerData as AttackJob
const random = seededRandom(job.seed)
parentPort!.postMessage(job.z.map(z => simulateAttack(job.q, z, job.trials, random)))
