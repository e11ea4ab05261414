// One download: find providers, fetch the manifest, pull chunks from several providers at once into
// partial/<cid>, record which chunks are verified, and move the file into place once all are.
import { open, type FileHandle } from 'node:fs/promises'
import { constants } from 'node:fs'
import type { PeerInfo } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { TidepoolNode } from '../node/create-node.ts'
import type { Dht } from '../dht/index.ts'
import { blockMatches, inlineBytes, type FileLayout } from './dag.ts'
import { DownloadPlan } from './plan.ts'
import { RateLimit, RateMeter } from './meter.ts'
import { FilesError } from './errors.ts'
import { fetchManifest, openChannel, pullChunks } from './client.ts'
import { readLeaf, type FileStore } from './store.ts'
import { MAX_PROVIDERS_SEEN, type FileRecord } from './records.ts'
import type { ProviderScores } from './scores.ts'
import { WriteQueue } from './write-queue.ts'
import { RANGE_CHUNKS } from './protocol.ts'

/** Providers pulled from at once. */
export const MAX_PARALLEL_PROVIDERS = 4
/** How often verified-chunk bits reach the database (a crash re-fetches at most this much). */
export const FLUSH_INTERVAL_MS = 250
/** Range writes (up to RANGE_CHUNKS chunks each) per provider in flight while the next range arrives. */
const WRITES_IN_FLIGHT = 4
const RETRY_MIN_MS = 500
const RETRY_MAX_MS = 10_000

/** Writes bytes at offset, in one write when the kernel takes them all. */
async function writeAt (file: FileHandle, bytes: Uint8Array, offset: number): Promise<void> {
  const { bytesWritten } = await file.write(bytes, 0, bytes.byteLength, offset)
  if (bytesWritten < bytes.byteLength) await file.write(bytes, bytesWritten, bytes.byteLength - bytesWritten, offset + bytesWritten)
}

export interface DownloadDeps {
  node: TidepoolNode
  dht: Dht
  store: FileStore
  scores: ProviderScores
  protocol: string
  log: (message: string) => void
  /** How long to look for a provider before giving up (read at the start of each download). */
  noProviderTimeoutMs: number
}

export interface DownloadProgress {
  bytesDone: number
  size: number | null
  rateBytesPerSec: number
  /** Null while a guess would mislead (RateMeter.eta). */
  etaSeconds: number | null
  providers: string[]
  /** Providers that delivered at least one verified chunk to this run. */
  served: string[]
  dropped: string[]
  /** Chunks received over the network by this run (not those kept from before a restart). */
  fetchedChunks: number
  /** Chunks found already verified on disk when this run started. */
  resumedChunks: number
}

export class Download {
  readonly cid: CID
  private record: FileRecord
  private readonly deps: DownloadDeps
  private readonly controller = new AbortController()
  private readonly meter = new RateMeter()
  private readonly limit: RateLimit | undefined
  private readonly active = new Map<string, Promise<void>>()
  private readonly candidates = new Map<string, PeerInfo>()
  private readonly dropped = new Set<string>()
  private readonly served = new Set<string>()
  /** Per provider: bytes of chunks verified on arrival whose run is not written yet. */
  private readonly unwritten = new Map<string, number>()
  private plan: DownloadPlan | undefined
  private layout: FileLayout | undefined
  private fetchedChunks = 0
  private resumedChunks = 0
  private wake: () => void = () => {}
  private readonly startedAt = Date.now()
  readonly done: Promise<FileRecord>

  constructor (cid: CID, record: FileRecord, deps: DownloadDeps) {
    this.cid = cid
    this.record = record
    this.deps = deps
    this.limit = record.maxBytesPerSecond === undefined ? undefined : new RateLimit(record.maxBytesPerSecond, Date.now())
    this.done = this.run()
    this.done.catch(() => {})
  }

  progress (): DownloadProgress {
    const now = Date.now()
    const written = this.layout === undefined || this.plan === undefined
      ? 0
      : this.layout.leaves.reduce((sum, leaf, i) => sum + (this.plan!.have.has(i) ? leaf.size : 0), 0)
    // Verified chunks waiting for their run's write count too: progress shows from the first chunk.
    const bytesDone = written + [...this.unwritten.values()].reduce((sum, n) => sum + n, 0)
    const size = this.layout?.size ?? this.record.size
    return {
      bytesDone,
      size,
      rateBytesPerSec: Math.round(this.meter.rate(now)),
      etaSeconds: size === null ? null : this.meter.eta(size - bytesDone, now),
      providers: [...this.active.keys()],
      served: [...this.served],
      dropped: [...this.dropped],
      fetchedChunks: this.fetchedChunks,
      resumedChunks: this.resumedChunks
    }
  }

  /** Stops pulling; what is verified stays on disk for the next run. */
  async stop (): Promise<void> {
    this.controller.abort(new FilesError('stopped', 'download stopped'))
    this.wake()
    await this.done.catch(() => {})
  }

  private get signal (): AbortSignal { return this.controller.signal }

  private async sleep (ms: number): Promise<void> {
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms)
      timer.unref()
      this.wake = () => { clearTimeout(timer); resolve() }
    })
  }

  /** Connected peers may answer at once, before any DHT query returns. */
  private addConnectedPeers (): void {
    for (const peer of this.deps.node.getPeers()) {
      const id = peer.toString()
      if (!this.dropped.has(id) && !this.candidates.has(id)) this.candidates.set(id, { id: peer, multiaddrs: [] })
    }
  }

  /** `limit` 1 returns as soon as one provider is known; a full lookup waits for the query to end. */
  private async addDhtProviders (limit?: number): Promise<void> {
    const self = this.deps.node.peerId.toString()
    const found = await this.deps.dht.findProviders(this.cid, { signal: this.signal, ...(limit === undefined ? {} : { limit }) }).catch(err => {
      if (!this.signal.aborted) this.deps.log(`files: finding providers of ${this.cid.toString()} failed: ${(err as Error).message}`)
      return []
    })
    for (const info of found) {
      const id = info.id.toString()
      if (id !== self && !this.dropped.has(id)) this.candidates.set(id, info)
    }
    this.wake()
  }

  /** The first verified manifest from a candidate: connected peers first, then the DHT's providers. */
  private async tryManifest (): Promise<FileLayout | undefined> {
    for (const id of this.deps.scores.rank([...this.candidates.keys()])) {
      if (this.signal.aborted) return undefined
      try {
        const channel = await openChannel(this.deps.node, this.candidates.get(id)!, this.deps.protocol, this.signal)
        const manifest = await fetchManifest(channel, this.cid, this.signal)
        await channel.close()
        if (manifest === undefined) { this.candidates.delete(id); continue }
        this.record = { ...this.record, size: manifest.layout.size }
        await this.deps.store.putRecordWithBlocks(this.record, manifest.blocks)
        return manifest.layout
      } catch (err) {
        this.candidates.delete(id)
        this.deps.scores.failed(id)
        this.deps.log(`files: manifest of ${this.cid.toString()} from ${id} failed: ${(err as Error).message}`)
      }
    }
    return undefined
  }

  private async obtainLayout (): Promise<FileLayout> {
    const known = await this.deps.store.layout(this.cid.toString())
    if (known !== undefined) return known
    let wait = RETRY_MIN_MS
    const giveUpAt = Date.now() + this.deps.noProviderTimeoutMs
    while (!this.signal.aborted) {
      // Nobody has answered with the file for this long: say so rather than search forever.
      if (Date.now() >= giveUpAt) throw new FilesError('no-provider', 'no provider found')
      this.addConnectedPeers()
      const fromConnected = await this.tryManifest()
      if (fromConnected !== undefined) return fromConnected
      await this.addDhtProviders(1)
      const fromDht = await this.tryManifest()
      if (fromDht !== undefined) return fromDht
      await this.sleep(Math.min(wait, Math.max(0, giveUpAt - Date.now())))
      wait = Math.min(wait * 2, RETRY_MAX_MS)
    }
    throw this.signal.reason
  }

  /** The bits saved by an earlier run, each chunk re-read and re-hashed: only what verifies is kept. */
  private async resumePlan (layout: FileLayout, partial: FileHandle): Promise<DownloadPlan> {
    const have = await this.deps.store.haveBits(this.cid.toString(), layout.leaves.length)
    const recorded = have.setCount
    for (let i = 0; i < layout.leaves.length; i++) {
      if (!have.has(i)) continue
      const bytes = await readLeaf(partial, layout.leaves[i]!).catch(() => undefined)
      if (bytes === undefined || !blockMatches(layout.leaves[i]!.cid, bytes)) have.clear(i)
    }
    if (recorded > 0) this.deps.log(`files: resuming ${this.cid.toString()}: ${have.setCount} of ${recorded} recorded chunks verify`)
    this.resumedChunks = have.setCount
    return new DownloadPlan(layout.leaves.length, have)
  }

  private startSession (id: string, layout: FileLayout, plan: DownloadPlan, partial: FileHandle): void {
    const writes = new WriteQueue(WRITES_IN_FLIGHT)
    // A run is copied into one of a few reused buffers before its write, so the pieces that came off the
    // wire die young and cheap instead of outliving the write in the old generation.
    const slabBytes = RANGE_CHUNKS * (layout.leaves[0]?.size ?? 0)
    const spare: Buffer[] = []
    const session = (async () => {
      const channel = await openChannel(this.deps.node, this.candidates.get(id)!, this.deps.protocol, this.signal)
      await pullChunks(channel, layout, plan, id, {
        deliver: async (run, pieces) => {
          if (this.signal.aborted) throw this.signal.reason
          const first = layout.leaves[run[0]!]!
          const last = layout.leaves[run.at(-1)!]!
          const size = last.offset + last.size - first.offset
          const slab = size <= slabBytes ? spare.pop() ?? Buffer.allocUnsafeSlow(slabBytes) : Buffer.allocUnsafeSlow(size)
          let at = 0
          for (const piece of pieces) { slab.set(piece, at); at += piece.byteLength }
          await writes.add(async () => {
            try {
              await writeAt(partial, slab.subarray(0, size), first.offset)
            } finally {
              if (slab.byteLength === slabBytes) spare.push(slab)
            }
            for (const index of run) {
              plan.done(index)
              this.deps.scores.goodChunk(id)
            }
            this.fetchedChunks += run.length
            this.served.add(id)
            this.unwritten.set(id, (this.unwritten.get(id) ?? 0) - size)
          })
        },
        // Counted as each chunk arrives, not per run: the rate then follows the wire, not the lumps.
        received: bytes => {
          this.meter.add(bytes, Date.now())
          this.unwritten.set(id, (this.unwritten.get(id) ?? 0) + bytes)
        },
        ...(this.limit === undefined ? {} : { limit: this.limit })
      }, this.signal)
      await writes.drain()
      await channel.close()
    })().catch(err => {
      if (err instanceof FilesError && err.code === 'bad-chunk') {
        this.dropped.add(id)
        this.candidates.delete(id)
        this.deps.scores.badChunk(id)
        this.deps.log(`files: dropped provider ${id}: ${err.message}`)
      } else if (err instanceof FilesError && err.code === 'not-found') {
        this.candidates.delete(id)
      } else if (!this.signal.aborted) {
        this.candidates.delete(id)
        this.deps.scores.failed(id)
        this.deps.log(`files: provider ${id} failed: ${(err as Error).message}`)
      }
    }).finally(async () => {
      // Chunks still being written are this provider's until their write lands.
      await writes.drain().catch(() => {})
      plan.release(id)
      this.unwritten.delete(id)
      this.active.delete(id)
      this.wake()
    })
    this.active.set(id, session)
  }

  private async run (): Promise<FileRecord> {
    const inline = inlineBytes(this.cid)
    const layout = this.layout = inline === undefined
      ? await this.obtainLayout()
      : { root: this.cid, size: inline.byteLength, leaves: [{ cid: this.cid, offset: 0, size: inline.byteLength }], inner: [] }
    const partial = await open(this.deps.store.partialPath(this.cid.toString()), constants.O_RDWR | constants.O_CREAT, 0o600)
    // The CID holds the bytes: nothing to fetch, nobody to ask.
    if (inline !== undefined) {
      await writeAt(partial, inline, 0)
      this.plan = new DownloadPlan(1)
      this.plan.have.set(0)
      this.record = await this.deps.store.finishDownload({ ...this.record, size: inline.byteLength }, partial)
      return this.record
    }
    const plan = this.plan = await this.resumePlan(layout, partial)
    this.meter.begin(Date.now())
    // Start with whoever is at hand; providers the DHT names join as they are found.
    this.addConnectedPeers()
    void this.addDhtProviders()
    let flushed = plan.have.setCount
    const flush = async (): Promise<void> => {
      if (plan.have.setCount === flushed) return
      flushed = plan.have.setCount
      await this.deps.store.putHaveBits(this.cid.toString(), plan.have)
    }
    const flusher = setInterval(() => { flush().catch(err => { this.deps.log(`files: saving progress failed: ${(err as Error).message}`) }) }, FLUSH_INTERVAL_MS)
    try {
      let wait = RETRY_MIN_MS
      let fetchedAtLastLook = -1
      while (!plan.complete && !this.signal.aborted) {
        const claimable = plan.chunkCount - plan.have.setCount - plan.inFlight > 0
        if (claimable) {
          for (const id of this.deps.scores.rank([...this.candidates.keys()])) {
            if (this.active.size >= MAX_PARALLEL_PROVIDERS) break
            if (!this.active.has(id)) this.startSession(id, layout, plan, partial)
          }
        }
        if (this.active.size === 0) {
          // Every provider failed or left: back off unless the last round got somewhere, then look again.
          if (this.fetchedChunks === fetchedAtLastLook) { await this.sleep(wait); wait = Math.min(wait * 2, RETRY_MAX_MS) } else wait = RETRY_MIN_MS
          fetchedAtLastLook = this.fetchedChunks
          this.addConnectedPeers()
          await this.addDhtProviders()
          continue
        }
        await Promise.race([...this.active.values(), this.sleep(RETRY_MAX_MS)])
      }
      await Promise.all(this.active.values())
    } finally {
      clearInterval(flusher)
    }
    if (!plan.complete) {
      await flush()
      await partial.close()
      throw this.signal.reason
    }
    const syncStarted = Date.now()
    this.record = await this.deps.store.finishDownload({ ...this.record, providersSeen: [...this.served].slice(0, MAX_PROVIDERS_SEEN) }, partial)
    this.deps.log(`files: ${this.cid.toString()} complete, ${layout.size} bytes in ${Date.now() - this.startedAt} ms (${Date.now() - syncStarted} ms to sync and move into place)`)
    return this.record
  }
}
