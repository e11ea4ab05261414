// The files capability's state: the store, the running downloads, announcing, and the library view the
// API and the UI show.
import { access, link as hardLink, mkdir, rename, rm, stat } from 'node:fs/promises'
import { constants, createReadStream, createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import { dirname, basename, join, isAbsolute } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { TidepoolNode } from '../node/create-node.ts'
import type { Dht } from '../dht/index.ts'
import type { EventSink } from '../event-hub.ts'
import { parseCid } from './dag.ts'
import { formatLink, parseLink } from './link.ts'
import { RateLimit } from './meter.ts'
import { decrypting, encrypting, newShareKey } from './crypt.ts'
import { Download, type DownloadProgress } from './downloader.ts'
import { FilesError } from './errors.ts'
import { ProviderScores } from './scores.ts'
import { nameCandidates, safeFileName } from './save-name.ts'
import type { FileStore } from './store.ts'
import { DEFAULT_FILES_SETTINGS, type FileRecord } from './records.ts'
import { NO_PROVIDER_TIMEOUT_SECONDS, type FileEntry, type FilesEvent, type FilesSettings } from './api.ts'

/** Provider records live 48 h in Kademlia; announcing twice a day keeps them alive with room to spare. */
export const REANNOUNCE_INTERVAL_MS = 12 * 60 * 60 * 1000
const PROGRESS_EVENT_MS = 500
/** Numbered names tried in the download folder before giving up (`a (1).txt` … `a (9999).txt`). */
const MAX_NAME_TRIES = 10_000

export interface DownloadRequest {
  link: string
  name?: string
  dest?: string
  overwrite?: boolean
  maxBytesPerSecond?: number
}

let lastEntryVersion = 0
/** Microseconds of the wall clock, at least one more than the last: later snapshots, larger versions, even after a restart. */
function nextEntryVersion (): number {
  lastEntryVersion = Math.max(lastEntryVersion + 1, Date.now() * 1000)
  return lastEntryVersion
}

export class FilesService {
  private readonly store: FileStore
  private readonly node: TidepoolNode
  private readonly dht: Dht
  private readonly events: EventSink<FilesEvent>
  private readonly protocol: string
  private readonly log: (message: string) => void
  /** The download folder when the settings name none (Config.downloadsDir). */
  private readonly defaultFolder: string | null
  private readonly scores = new ProviderScores()
  private readonly downloads = new Map<string, Download>()
  /** How each download of this run went, kept for the library after it ends. */
  private readonly ended = new Map<string, DownloadProgress>()
  private settingsNow: FilesSettings = DEFAULT_FILES_SETTINGS
  /** Shared by every stream this peer serves, so the cap holds for all downloaders together. */
  private uploadCap: RateLimit | undefined
  private reannouncer: NodeJS.Timeout | undefined
  private ticker: NodeJS.Timeout | undefined

  constructor (options: { store: FileStore, node: TidepoolNode, dht: Dht, events: EventSink<FilesEvent>, protocol: string, log: (message: string) => void, downloadsDir: string | null }) {
    this.store = options.store
    this.node = options.node
    this.dht = options.dht
    this.events = options.events
    this.protocol = options.protocol
    this.log = options.log
    this.defaultFolder = options.downloadsDir
  }

  /** Loads the settings, announces what we share, resumes unfinished downloads, and keeps both going. */
  async start (): Promise<void> {
    try {
      this.applySettings(await this.store.settings())
    } catch (err) {
      this.log(`files: saved settings unreadable, using the defaults until they are set again: ${(err as Error).message}`)
    }
    for (const record of await this.store.records()) {
      if (record.state === 'downloading') this.startDownload(record)
    }
    this.announceAll()
    this.reannouncer = setInterval(() => { this.announceAll() }, REANNOUNCE_INTERVAL_MS)
    this.ticker = setInterval(() => { void this.emitActive() }, PROGRESS_EVENT_MS)
  }

  async stop (): Promise<void> {
    clearInterval(this.reannouncer)
    clearInterval(this.ticker)
    await Promise.all([...this.downloads.values()].map(async d => { await d.stop() }))
  }

  /** The upload cap the server paces its streams by (undefined: none). */
  get uploadLimit (): RateLimit | undefined { return this.uploadCap }

  /** The settings, with the download folder in use (the default when none was chosen). */
  settings (): FilesSettings { return { ...this.settingsNow, downloadFolder: this.downloadFolder() } }

  private downloadFolder (): string | null {
    return this.settingsNow.downloadFolder === undefined ? this.defaultFolder : this.settingsNow.downloadFolder
  }

  async setSettings (settings: FilesSettings): Promise<FilesSettings> {
    // A folder is checked when it changes, so that setting something else never fails on it.
    const folder = settings.downloadFolder
    if (typeof folder === 'string' && folder !== this.downloadFolder()) await checkFolder(folder)
    await this.store.putSettings(settings)
    this.applySettings(settings)
    return this.settings()
  }

  private applySettings (settings: FilesSettings): void {
    this.settingsNow = settings
    const cap = settings.maxUploadBytesPerSecond
    this.uploadCap = cap === null ? undefined : new RateLimit(cap, Date.now())
  }

  private announce (cid: string): void {
    this.dht.provide(parseCid(cid)).catch(err => { this.log(`files: announcing ${cid} failed: ${(err as Error).message}`) })
  }

  private announceAll (): void {
    void this.store.records().then(records => {
      for (const r of records) if (r.pinned && (r.state === 'sharing' || r.state === 'complete')) this.announce(r.cid)
    })
  }

  private entry (record: FileRecord): FileEntry {
    const progress = this.downloads.get(record.cid)?.progress() ?? this.ended.get(record.cid)
    const finished = record.state === 'sharing' || record.state === 'complete'
    const size = progress?.size ?? record.size
    const bytesDone = finished ? (record.size ?? 0) : progress?.bytesDone ?? 0
    const rate = progress?.rateBytesPerSec ?? 0
    return {
      cid: record.cid,
      name: record.name,
      size,
      state: record.state,
      origin: record.origin,
      pinned: record.pinned,
      private: record.key !== undefined,
      link: formatLink({ cid: parseCid(record.cid), name: record.name, size: size ?? undefined, key: record.key }),
      bytesDone,
      rateBytesPerSec: rate,
      etaSeconds: finished ? 0 : record.state === 'downloading' ? progress?.etaSeconds ?? null : null,
      providers: record.state === 'downloading' ? progress?.providers ?? [] : record.providersSeen ?? progress?.served ?? [],
      dropped: progress?.dropped ?? [],
      fetchedChunks: progress?.fetchedChunks ?? 0,
      resumedChunks: progress?.resumedChunks ?? 0,
      path: finished ? record.dest ?? this.store.contentPath(record.cid) : null,
      saved: finished ? record.dest ?? null : null,
      ...(record.error === undefined ? {} : { error: record.error }),
      version: nextEntryVersion()
    }
  }

  private emit (record: FileRecord): void {
    this.events.emit({ type: 'files:progress', file: this.entry(record) })
  }

  private async emitActive (): Promise<void> {
    for (const cid of this.downloads.keys()) {
      const record = await this.store.record(cid)
      if (record !== undefined) this.emit(record)
    }
  }

  async list (): Promise<FileEntry[]> {
    return (await this.store.records()).sort((a, b) => b.createdAt - a.createdAt).map(r => this.entry(r))
  }

  async get (cid: string): Promise<FileEntry> {
    const record = await this.store.record(parseCid(cid).toString())
    if (record === undefined) throw new FilesError('not-found', `no file ${cid} in the library`)
    return this.entry(record)
  }

  /** Adds a file; a private one is encrypted first with a new key that only its link will carry. */
  async add (source: AsyncIterable<Uint8Array>, name: string, options: { private?: boolean } = {}): Promise<FileEntry> {
    const key = options.private === true ? newShareKey() : undefined
    const record = await this.store.add(key === undefined ? source : encrypting(source, key), name, { key })
    this.announce(record.cid)
    this.emit(record)
    return this.entry(record)
  }

  /** Adds a local file by its path (named after it unless `name` is given); the original may change later. */
  async addPath (path: string, name: string | undefined, options: { private?: boolean } = {}): Promise<FileEntry> {
    const info = await stat(path).catch(() => undefined)
    if (info?.isFile() !== true) throw new FilesError('bad-request', `${path} is not a readable file`)
    return await this.add(createReadStream(path, { highWaterMark: 1024 * 1024 }), name ?? basename(path), options)
  }

  async download (request: DownloadRequest): Promise<FileEntry> {
    const link = parseLink(request.link)
    // Before any byte is fetched: a dest that can't take the file fails now, not after the download.
    if (request.dest !== undefined) await checkDest(request.dest, request.overwrite === true)
    const cid = link.cid.toString()
    const existing = await this.store.record(cid)
    if (existing !== undefined && existing.state !== 'failed' && existing.state !== 'paused') return this.entry(existing)
    const record: FileRecord = {
      cid,
      name: request.name ?? link.name ?? cid,
      size: existing?.size ?? null,
      state: 'downloading',
      origin: 'downloaded',
      pinned: true,
      createdAt: existing?.createdAt ?? Date.now(),
      ...(request.dest === undefined ? {} : { dest: request.dest }),
      ...(request.overwrite === true ? { overwrite: true } : {}),
      // Verified bytes from an earlier try (a copy that failed) are not fetched again.
      ...(existing?.verified === true ? { verified: true } : {}),
      ...(request.maxBytesPerSecond === undefined ? {} : { maxBytesPerSecond: request.maxBytesPerSecond }),
      ...(link.key === undefined ? {} : { key: link.key })
    }
    await this.store.putRecord(record)
    this.startDownload(record)
    return this.entry(record)
  }

  private startDownload (record: FileRecord): void {
    if (record.verified === true) { void this.deliver(record); return }
    const download = new Download(parseCid(record.cid), record, {
      node: this.node, dht: this.dht, store: this.store, scores: this.scores, protocol: this.protocol, log: this.log,
      noProviderTimeoutMs: (this.settingsNow.noProviderTimeoutSeconds ?? NO_PROVIDER_TIMEOUT_SECONDS) * 1000
    })
    this.downloads.set(record.cid, download)
    this.emit(record)
    const end = (): void => {
      this.ended.set(record.cid, { ...download.progress(), providers: [], rateBytesPerSec: 0, etaSeconds: null })
      this.downloads.delete(record.cid)
    }
    download.done.then(async done => {
      end()
      await this.deliver(done)
    }).catch(async err => {
      end()
      if (err instanceof FilesError && err.code === 'stopped') return
      this.log(`files: download of ${record.cid} failed: ${(err as Error).message}`)
      const current = await this.store.record(record.cid)
      if (current === undefined) return
      const failed: FileRecord = { ...current, state: 'failed', error: (err as Error).message }
      await this.store.putRecord(failed)
      this.emit(failed)
    })
  }

  /**
   * A download's last step, once its bytes are verified in the content store: the copy to `dest`, or
   * else into the download folder under the first free name, then `complete` — never before the file is
   * at its path. A failed copy leaves the entry `failed` with the verified bytes kept (and servable);
   * resuming it only copies again.
   */
  private async deliver (verified: FileRecord): Promise<void> {
    let next = verified
    if (verified.state !== 'complete') {
      const { error: _, ...rest } = verified
      const folder = rest.dest === undefined ? this.downloadFolder() : null
      const target = rest.dest ?? folder ?? undefined
      try {
        const source = this.store.contentPath(rest.cid)
        if (rest.dest !== undefined) {
          await placeCopy(source, rest.key, dirname(rest.dest), [basename(rest.dest)], rest.overwrite === true)
          next = { ...rest, state: 'complete' }
        } else if (folder !== null) {
          // The default folder (a fresh account may have no Downloads yet) is made; a chosen one must exist.
          if (folder === this.defaultFolder) await mkdir(folder, { recursive: true })
          const names = firstOf(nameCandidates(safeFileName(rest.name, rest.cid)), MAX_NAME_TRIES)
          next = { ...rest, dest: await placeCopy(source, rest.key, folder, names, false), state: 'complete' }
        } else {
          next = { ...rest, state: 'complete' }
        }
      } catch (err) {
        const message = (err as Error).message
        this.log(`files: copying ${rest.cid} to ${target ?? '?'} failed; the verified file stays in the library: ${message}`)
        next = { ...rest, state: 'failed', error: `copy to ${target ?? '?'} failed: ${message}` }
      }
      // Removed while copying: don't bring the record back.
      if (await this.store.record(rest.cid) === undefined) return
      await this.store.putRecord(next)
    }
    if (next.state === 'complete') this.announce(next.cid)
    this.emit(next)
  }

  /** Stops a download, keeping its verified chunks; the state `paused` survives a restart. */
  async pause (cid: string): Promise<FileEntry> {
    const key = parseCid(cid).toString()
    await this.downloads.get(key)?.stop()
    const record = await this.store.record(key)
    if (record === undefined) throw new FilesError('not-found', `no file ${cid} in the library`)
    // It may have completed (or failed) while stopping: only a download still under way is paused.
    if (record.state !== 'downloading') throw new FilesError('bad-request', `${cid} is ${record.state}, not downloading`)
    const paused: FileRecord = { ...record, state: 'paused' }
    await this.store.putRecord(paused)
    this.emit(paused)
    return this.entry(paused)
  }

  /** Continues a paused (or failed) download from the chunks it has. */
  async resume (cid: string): Promise<FileEntry> {
    const record = await this.store.record(parseCid(cid).toString())
    if (record === undefined) throw new FilesError('not-found', `no file ${cid} in the library`)
    if (record.state !== 'paused' && record.state !== 'failed') throw new FilesError('bad-request', `${cid} is ${record.state}, not paused`)
    const { error: _, ...rest } = record
    const resumed: FileRecord = { ...rest, state: 'downloading' }
    await this.store.putRecord(resumed)
    this.startDownload(resumed)
    return this.entry(resumed)
  }

  /** Stops sharing (unpin) or starts again (pin). */
  async setPinned (cid: string, pinned: boolean): Promise<FileEntry> {
    const record = await this.store.record(parseCid(cid).toString())
    if (record === undefined) throw new FilesError('not-found', `no file ${cid} in the library`)
    const updated = { ...record, pinned }
    await this.store.putRecord(updated)
    if (pinned) this.announce(updated.cid)
    this.emit(updated)
    return this.entry(updated)
  }

  async remove (cid: string): Promise<void> {
    const key = parseCid(cid).toString()
    if (await this.store.record(key) === undefined) throw new FilesError('not-found', `no file ${cid} in the library`)
    await this.downloads.get(key)?.stop()
    await this.store.remove(key)
    this.ended.delete(key)
    this.events.emit({ type: 'files:removed', cid: key })
  }

  /** A finished file's verified bytes as the user added them (a private share's decrypted), with its name and size. */
  async content (cid: string): Promise<{ name: string, size: number, bytes: Readable }> {
    const record = await this.store.record(parseCid(cid).toString())
    if (record === undefined || (record.state !== 'sharing' && record.state !== 'complete' && record.verified !== true)) {
      throw new FilesError('not-found', `${cid} is not complete on this peer`)
    }
    return { name: record.name, size: record.size ?? 0, bytes: plaintextStream(this.store.contentPath(record.cid), record.key) }
  }
}

/** The file's bytes as the user added them: a private share's are decrypted on the way out. */
function plaintextStream (path: string, key: string | undefined): Readable {
  const stored = createReadStream(path)
  if (key === undefined) return stored
  const plain = decrypting(key)
  stored.on('error', err => plain.destroy(err))
  return stored.pipe(plain)
}

/** Where a download may be copied: an absolute file path in a writable folder, not replacing a file unless asked. */
async function checkDest (dest: string, overwrite: boolean): Promise<void> {
  if (!isAbsolute(dest)) throw new FilesError('bad-dest', `dest ${JSON.stringify(dest)} is not an absolute path`)
  const info = await stat(dest).catch(() => undefined)
  if (info?.isDirectory() === true) throw new FilesError('bad-dest', `dest ${dest} is a folder; give a file path inside it`)
  if (info !== undefined && !overwrite) throw new FilesError('dest-exists', `${dest} exists; send "overwrite": true to replace it`)
  const folder = dirname(dest)
  if ((await stat(folder).catch(() => undefined))?.isDirectory() !== true) throw new FilesError('bad-dest', `the folder ${folder} does not exist`)
  await access(folder, constants.W_OK).catch(() => { throw new FilesError('bad-dest', `the folder ${folder} is not writable`) })
}

/** Where downloads may be saved: an absolute path of an existing folder this peer can write to. */
async function checkFolder (folder: string): Promise<void> {
  if (!isAbsolute(folder)) throw new FilesError('bad-folder', `${JSON.stringify(folder)} is not an absolute path`)
  if ((await stat(folder).catch(() => undefined))?.isDirectory() !== true) throw new FilesError('bad-folder', `the folder ${folder} does not exist`)
  await access(folder, constants.W_OK).catch(() => { throw new FilesError('bad-folder', `the folder ${folder} is not writable`) })
}

function * firstOf<T> (items: Iterable<T>, count: number): Generator<T> {
  let taken = 0
  for (const item of items) {
    if (taken++ >= count) return
    yield item
  }
}

/**
 * Copies a finished file into `folder` under the first of `names` that is free (or over the first with
 * `overwrite`), appearing there whole or not at all; returns its path. Without `overwrite`, a hard link
 * puts it in place, which fails if a file is there, even one that appeared meanwhile: the next name is tried.
 */
async function placeCopy (source: string, key: string | undefined, folder: string, names: Iterable<string>, overwrite: boolean): Promise<string> {
  const tmp = join(folder, `.tidepool-${randomBytes(6).toString('hex')}.part`)
  try {
    await pipeline(plaintextStream(source, key), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }))
    const tried: string[] = []
    for (const name of names) {
      const dest = join(folder, name)
      if (overwrite) { await rename(tmp, dest); return dest }
      if (await linkIfFree(tmp, dest)) return dest
      tried.push(dest)
    }
    throw new FilesError('dest-exists', tried.length === 1
      ? `${tried[0]!} exists; download again with "overwrite": true to replace it`
      : `${tried[0] ?? folder} and ${tried.length - 1} numbered names after it are all taken`)
  } finally {
    await rm(tmp, { force: true })
  }
}

/** Puts `tmp` at `dest` unless a file is there; false if one is. */
async function linkIfFree (tmp: string, dest: string): Promise<boolean> {
  try {
    await hardLink(tmp, dest)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    // A file system without hard links (FAT): look, then rename — a narrow race instead of none.
    if (await stat(dest).then(() => true, () => false)) return false
    await rename(tmp, dest)
    return true
  }
}
