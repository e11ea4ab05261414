// Mining on worker threads: each thread searches its share of the nonce space of the current
// template; a new tip (or new waiting transactions) replaces the job at once. The event loop that
// serves the API never hashes.
import { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodeHeader, type Block } from '../rules/codec.ts'
import { bitsToTarget } from '../rules/target.ts'
import { targetWords } from './sha256d-kernel.ts'
import type { FromWorker, ToWorker } from './messages.ts'

const NONCE_SPACE = 2 ** 32
const RATE_WINDOW_MS = 5000
// The worker is worker.ts when run from source, worker.js when built.
const WORKER_URL = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

export const DEFAULT_THREADS = availableParallelism()

export interface MinerOptions {
  /** A fresh block to mine on the current tip (coinbase, waiting transactions, time). */
  template: () => Block
  /** Hands a solved block to the chain. */
  submit: (block: Block) => Promise<void>
  onError: (err: Error) => void
  /** Least time between blocks this miner finds while mining without a count (test chains, where a block is ~2 hashes). */
  paceMs: number
}

export class Miner {
  private readonly options: MinerOptions
  private workers: Worker[] = []
  private jobId = 0
  private block: Block | undefined
  private exhausted = 0
  private readonly samples: Array<{ at: number, hashes: number }> = []
  /** Blocks still to find before stopping; undefined mines on until told otherwise. */
  private remaining: number | undefined
  private pausedUntil = 0
  private paceTimer: NodeJS.Timeout | undefined
  threads = DEFAULT_THREADS

  constructor (options: MinerOptions) {
    this.options = options
  }

  get enabled (): boolean {
    return this.workers.length > 0
  }

  /** Hashes per second over the last few seconds, all threads together. */
  hashesPerSecond (): number {
    const since = Date.now() - RATE_WINDOW_MS
    while (this.samples.length > 0 && this.samples[0]!.at < since) this.samples.shift()
    return Math.round(this.samples.reduce((sum, s) => sum + s.hashes, 0) * 1000 / RATE_WINDOW_MS)
  }

  /** Starts or stops mining; with `blocks`, stops by itself after finding that many. */
  async configure (enabled: boolean, threads = this.threads, blocks?: number): Promise<void> {
    const changed = threads !== this.threads
    this.threads = Math.max(1, Math.min(threads, DEFAULT_THREADS))
    this.remaining = blocks
    if (!enabled || changed) await this.stopWorkers()
    if (enabled && !this.enabled) {
      this.workers = Array.from({ length: this.threads }, () => {
        const worker = new Worker(WORKER_URL)
        worker.on('message', (message: FromWorker) => { this.onMessage(message) })
        worker.on('error', err => { this.options.onError(err) })
        return worker
      })
      this.restart()
    }
  }

  /** Starts over on a new template: call on every new tip. */
  restart (): void {
    if (!this.enabled) return
    const wait = this.pausedUntil - Date.now()
    if (wait > 0) {
      this.paceTimer ??= setTimeout(() => { this.paceTimer = undefined; this.restart() }, wait)
      return
    }
    let block: Block
    try {
      block = this.options.template()
    } catch (err) {
      this.options.onError(err as Error)
      return
    }
    this.block = block
    this.exhausted = 0
    const id = ++this.jobId
    const header = encodeHeader(block.header)
    const target = targetWords(bitsToTarget(block.header.bits))
    const share = Math.floor(NONCE_SPACE / this.workers.length)
    this.workers.forEach((worker, i) => {
      const message: ToWorker = { type: 'job', id, header, target, from: i * share, to: i === this.workers.length - 1 ? NONCE_SPACE : (i + 1) * share }
      worker.postMessage(message)
    })
  }

  private onMessage (message: FromWorker): void {
    if (message.type === 'progress') {
      this.samples.push({ at: Date.now(), hashes: message.hashes })
      return
    }
    if (message.id !== this.jobId || this.block === undefined) return
    if (message.type === 'exhausted') {
      // Every nonce of this template failed: a new one (new time, new coinbase data) has fresh nonces.
      if (++this.exhausted === this.workers.length) this.restart()
      return
    }
    const solved: Block = { ...this.block, header: { ...this.block.header, nonce: message.nonce } }
    this.block = undefined
    if (this.remaining === undefined) this.pausedUntil = Date.now() + this.options.paceMs
    else this.remaining--
    const done = this.remaining === 0
    this.options.submit(solved).catch(err => { this.options.onError(err as Error) }).finally(() => {
      if (done) void this.stopWorkers()
      else this.restart()
    })
  }

  private async stopWorkers (): Promise<void> {
    const workers = this.workers
    this.workers = []
    this.block = undefined
    clearTimeout(this.paceTimer)
    this.paceTimer = undefined
    await Promise.all(workers.map(async w => await w.terminate()))
  }

  async stop (): Promise<void> {
    await this.stopWorkers()
  }
}
