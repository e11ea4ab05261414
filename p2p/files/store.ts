// The files on disk. Bytes live in <data-dir>/files/content/<cid> (a finished file, served by offset) and
// <data-dir>/files/partial/<cid> (a download in progress, written at each verified chunk's offset);
// records, inner DAG blocks and the verified-chunk bitsets live in the app database's `files` sublevel.
// A file enters content/ only by rename, after its bytes were fsynced, so content/ never holds a torn file.
import { join } from 'node:path'
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { appSublevel, type AppDatabase, type AppSublevel } from '../store/app-store.ts'
import { importer } from 'ipfs-unixfs-importer'
import './uint64-fix.ts' // before the importer writes a size of 2–4 GiB
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as dagPb from '@ipld/dag-pb'
import { layoutOf, parseCid, type FileLayout, type Leaf } from './dag.ts'
import { Bitset } from './bitset.ts'
import { DEFAULT_FILES_SETTINGS, FileRecord } from './records.ts'
import { FilesSettings } from './api.ts'
import { FilesError } from './errors.ts'

export const FILES_DIR = 'files'
const LAYOUT_CACHE_SIZE = 32

const encodeJson = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))

async function syncDir (dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try { await handle.sync() } finally { await handle.close() }
}

export class FileStore {
  readonly dir: string
  private readonly db: AppSublevel
  private readonly layouts = new Map<string, FileLayout>()

  constructor (dataDir: string, db: AppDatabase) {
    this.dir = join(dataDir, FILES_DIR)
    this.db = appSublevel(db, 'files')
  }

  /** Creates the folders and sweeps what a crash left: temp files, content no record points to. */
  async open (): Promise<void> {
    for (const sub of ['content', 'partial', 'tmp']) await mkdir(join(this.dir, sub), { recursive: true })
    await rm(join(this.dir, 'tmp'), { recursive: true, force: true })
    await mkdir(join(this.dir, 'tmp'))
    const known = new Set((await this.records()).map(r => r.cid))
    for (const sub of ['content', 'partial']) {
      for (const name of await readdir(join(this.dir, sub))) {
        if (!known.has(name)) await rm(join(this.dir, sub, name), { force: true })
      }
    }
  }

  contentPath (cid: string): string { return join(this.dir, 'content', cid) }
  partialPath (cid: string): string { return join(this.dir, 'partial', cid) }
  tempPath (): string { return join(this.dir, 'tmp', randomBytes(8).toString('hex')) }

  async record (cid: string): Promise<FileRecord | undefined> {
    const bytes = await this.db.get(`record/${cid}`)
    if (bytes === undefined) return undefined
    return FileRecord.parse(JSON.parse(new TextDecoder().decode(bytes as Uint8Array)))
  }

  async records (): Promise<FileRecord[]> {
    const out: FileRecord[] = []
    for await (const value of this.db.values({ gt: 'record/', lt: 'record/\xff' })) {
      out.push(FileRecord.parse(JSON.parse(new TextDecoder().decode(value as Uint8Array))))
    }
    return out
  }

  async putRecord (record: FileRecord): Promise<void> {
    await this.db.put(`record/${record.cid}`, encodeJson(record))
  }

  /** Saves a record with the file's inner blocks in one atomic batch. */
  async putRecordWithBlocks (record: FileRecord, blocks: ReadonlyMap<string, Uint8Array>): Promise<void> {
    const batch = this.db.batch()
    for (const [cid, bytes] of blocks) batch.put(`block/${cid}`, bytes)
    batch.put(`record/${record.cid}`, encodeJson(record))
    await batch.write()
  }

  /** The saved settings, or the defaults; throws if what is saved doesn't parse. */
  async settings (): Promise<FilesSettings> {
    const bytes = await this.db.get('settings')
    if (bytes === undefined) return DEFAULT_FILES_SETTINGS
    return FilesSettings.parse(JSON.parse(new TextDecoder().decode(bytes as Uint8Array)))
  }

  async putSettings (settings: FilesSettings): Promise<void> {
    await this.db.put('settings', encodeJson(settings))
  }

  async haveBits (cid: string, chunkCount: number): Promise<Bitset> {
    const bytes = await this.db.get(`have/${cid}`)
    return new Bitset(chunkCount, bytes as Uint8Array | undefined)
  }

  async putHaveBits (cid: string, bits: Bitset): Promise<void> {
    await this.db.put(`have/${cid}`, bits.bytes.slice())
  }

  async block (cid: string): Promise<Uint8Array | undefined> {
    return await this.db.get(`block/${cid}`) as Uint8Array | undefined
  }

  /** The layout of a file whose inner blocks (or raw root size) we have. */
  async layout (cid: string): Promise<FileLayout | undefined> {
    const cached = this.layouts.get(cid)
    if (cached !== undefined) return cached
    const record = await this.record(cid)
    if (record === undefined || record.size === null) return undefined
    const root = parseCid(cid)
    const blocks = new Map<string, Uint8Array>()
    const load = async (key: CID): Promise<void> => {
      if (key.code === raw.code || blocks.has(key.toString())) return
      const bytes = await this.db.get(`block/${key.toString()}`)
      if (bytes === undefined) return
      blocks.set(key.toString(), bytes as Uint8Array)
      for (const link of dagPb.decode(bytes as Uint8Array).Links) await load(link.Hash)
    }
    await load(root)
    const layout = layoutOf(root, blocks, record.size)
    this.layouts.set(cid, layout)
    if (this.layouts.size > LAYOUT_CACHE_SIZE) this.layouts.delete(this.layouts.keys().next().value!)
    return layout
  }

  /** Drops the record, blocks, bitset and bytes of a file. */
  async remove (cid: string): Promise<void> {
    const layout = await this.layout(cid).catch(() => undefined)
    const batch = this.db.batch()
    batch.del(`record/${cid}`)
    batch.del(`have/${cid}`)
    for (const inner of layout?.inner ?? []) batch.del(`block/${inner.toString()}`)
    await batch.write()
    this.layouts.delete(cid)
    await rm(this.contentPath(cid), { force: true })
    await rm(this.partialPath(cid), { force: true })
  }

  /**
   * Imports a byte stream: chunks and hashes it as the UnixFS importer does (so the CID is IPFS's),
   * while copying it to a temp file that becomes content/<cid> once complete and fsynced.
   */
  async add (source: AsyncIterable<Uint8Array>, name: string, options: { key?: string, maxBytes?: number } = {}): Promise<FileRecord> {
    const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER
    const tmp = this.tempPath()
    const file = await open(tmp, 'wx', 0o600)
    const inner = new Map<string, Uint8Array>()
    const blockstore = {
      put: (key: CID, bytes: Uint8Array): CID => {
        // Leaves are already in the copy; only the inner nodes need keeping.
        if (key.code !== raw.code) inner.set(key.toString(), bytes)
        return key
      }
    }
    let size = 0
    async function * copying (): AsyncGenerator<Uint8Array> {
      for await (const chunk of source) {
        size += chunk.byteLength
        if (size > maxBytes) throw new FilesError('too-large', `file over ${maxBytes} bytes`)
        await file.write(chunk)
        yield chunk
      }
    }
    let root: CID
    try {
      let last: CID | undefined
      for await (const entry of importer([{ content: copying() }], blockstore)) last = entry.cid
      if (last === undefined) throw new FilesError('bad-request', 'the importer produced nothing')
      root = last.toV1()
      await file.sync()
    } catch (err) {
      await file.close()
      await rm(tmp, { force: true })
      throw err
    }
    await file.close()
    const cid = root.toString()
    const existing = await this.record(cid)
    await rename(tmp, this.contentPath(cid))
    await syncDir(join(this.dir, 'content'))
    const record: FileRecord = existing?.state === 'complete' || existing?.state === 'sharing'
      ? { ...existing, pinned: true }
      : { cid, name, size, state: 'sharing', origin: 'added', pinned: true, createdAt: Date.now(), ...(options.key === undefined ? {} : { key: options.key }) }
    await this.putRecordWithBlocks(record, inner)
    await this.db.del(`have/${cid}`)
    await rm(this.partialPath(cid), { force: true })
    return record
  }

  /** Opens a finished file for reading chunks; the caller closes it. */
  async openContent (cid: string): Promise<FileHandle> {
    return await open(this.contentPath(cid), 'r')
  }

  /**
   * Moves a fully verified download into content/ and marks it verified, in that order. FilesService
   * makes it complete: at once, or once its copy (to `dest`, or into the download folder) is there.
   */
  async finishDownload (record: FileRecord, partial: FileHandle): Promise<FileRecord> {
    await partial.sync()
    await partial.close()
    await rename(this.partialPath(record.cid), this.contentPath(record.cid))
    await syncDir(join(this.dir, 'content'))
    const done: FileRecord = { ...record, verified: true }
    const batch = this.db.batch()
    batch.put(`record/${record.cid}`, encodeJson(done))
    batch.del(`have/${record.cid}`)
    await batch.write()
    return done
  }
}

export async function readLeaf (file: FileHandle, leaf: Leaf): Promise<Uint8Array> {
  return await readAt(file, leaf.offset, leaf.size)
}

/** Reads size bytes at offset, or fails if the file ends before. */
export async function readAt (file: FileHandle, offset: number, size: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(size)
  let filled = 0
  while (filled < size) {
    const { bytesRead } = await file.read(buffer, filled, size - filled, offset + filled)
    if (bytesRead === 0) throw new FilesError('not-found', `content ends before byte ${offset + size}`)
    filled += bytesRead
  }
  return buffer
}
