// A LevelDB that survives a full disk. LevelDB's log writer, when an append fails part-way (ENOSPC),
// reports the error but keeps its idea of the log's length: the next records go after a torn one, are
// acknowledged and served from memory, and at the next open the log reader drops everything from the
// tear on (leveldb db/log_writer.cc EmitPhysicalRecord; db_impl.cc Write). And a background compaction
// that fails (same cause) sets LevelDB's sticky background error: every later write fails until the
// database is reopened — LevelDB has no other way out of it.
//
// So: writes go one at a time, and after a write fails, none goes to that log again. The next write
// first reopens the database — recovery reads the log up to the tear (every acknowledged write is
// before it; the failed one is dropped whole), writes it into a table and starts a fresh log — once the
// disk has room for that; until then writes are refused with a `disk-full` StoreError and reads go on
// from the open database, which holds exactly the acknowledged writes.
//
// It is an abstract-level database forwarding to an inner classic-level one, so that the inner one can
// be replaced while every sublevel the parts hold on the outer one stays open.
import { AbstractLevel, AbstractIterator } from 'abstract-level'
import { Level } from 'level'
import { readdir, stat, statfs } from 'node:fs/promises'
import { join } from 'node:path'
import { StoreError, storeErrorOf } from './errors.ts'

type Format = string | Uint8Array
type Inner = Level<Format, Format>
type Entry = [Format | undefined, Format | undefined]
/** What abstract-level hands its private methods: options already reduced to formats. */
type Options = Record<string, unknown>
type BatchOp = { type: 'put', key: Format, value: Format } | { type: 'del', key: Format }

/** Room a reopen needs beyond the logs it turns into tables: a new manifest and log. */
const REOPEN_MARGIN_BYTES = 1024 * 1024
/** How long a reopen waits for open iterators to finish before closing them. */
const ITERATOR_DRAIN_MS = 2000

const FORMATS = { buffer: true, utf8: true, view: true } as const

export class RecoveringLevel extends AbstractLevel<Format, string, Uint8Array> {
  readonly location: string
  #inner: Inner | undefined
  #openOptions: Options = {}
  /** Why the inner database must be reopened before the next write, if it must. */
  #failed: StoreError | undefined
  #writes: Promise<unknown> = Promise.resolve()
  /** Settles when a reopen under way is done; reads wait on it. */
  #reopening: Promise<void> | undefined
  readonly #iterators = new Set<RecoveringIterator>()

  constructor (location: string) {
    super({ encodings: FORMATS, has: true, createIfMissing: true, errorIfExists: true }, { keyEncoding: 'utf8', valueEncoding: 'view' })
    this.location = location
  }

  async _open (options: Options): Promise<void> {
    const { passive: _, ...rest } = options
    this.#openOptions = rest
    this.#inner = await openInner(this.location, rest)
    this.#failed = undefined
  }

  async _close (): Promise<void> {
    await this.#writes.catch(() => {})
    await this.#reopening
    const inner = this.#inner
    this.#inner = undefined
    await inner?.close()
  }

  async _get (key: Format, options: Options): Promise<Format | undefined> {
    return await (await this.#readable()).get(key, formats(options))
  }

  async _getMany (keys: Format[], options: Options): Promise<Array<Format | undefined>> {
    return await (await this.#readable()).getMany(keys, formats(options))
  }

  async _has (key: Format, options: Options): Promise<boolean> {
    return await (await this.#readable()).has(key, formats(options))
  }

  async _hasMany (keys: Format[], options: Options): Promise<boolean[]> {
    return await (await this.#readable()).hasMany(keys, formats(options))
  }

  async _put (key: Format, value: Format, options: Options): Promise<void> {
    await this.#write(inner => inner.put(key, value, formats(options)))
  }

  async _del (key: Format, options: Options): Promise<void> {
    await this.#write(inner => inner.del(key, formats(options)))
  }

  async _batch (operations: BatchOp[], options: Options): Promise<void> {
    await this.#write(inner => inner.batch(operations, options))
  }

  async _clear (options: Options): Promise<void> {
    await this.#write(inner => inner.clear(options))
  }

  _iterator (options: Options): RecoveringIterator {
    return new RecoveringIterator(this, options, this.#iterators)
  }

  /** The inner database for a read: after any reopen under way; a failed reopen is tried again here. */
  async #readable (): Promise<Inner> {
    while (this.#reopening !== undefined) await this.#reopening
    if (this.#inner !== undefined) return this.#inner
    await this.#serially(async () => { if (this.#inner === undefined) await this.#recover() })
    return await this.#readable()
  }

  /** For iterators: the inner database now, if it is open and no reopen is under way. */
  innerNow (): Inner | undefined {
    return this.#reopening === undefined ? this.#inner : undefined
  }

  /** For iterators: the inner database once it can be read. */
  async innerForIterator (): Promise<Inner> {
    return await this.#readable()
  }

  async #write (op: (inner: Inner) => Promise<void>): Promise<void> {
    await this.#serially(async () => {
      if (this.#failed !== undefined || this.#inner === undefined) await this.#recover()
      try {
        await op(this.#inner!)
      } catch (err) {
        this.#failed = storeErrorOf(err)
        throw this.#failed
      }
    })
  }

  #serially<T> (task: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(task, task)
    this.#writes = run.catch(() => {})
    return run
  }

  /** Reopens the inner database if the disk has room for it; else refuses with why it can't. */
  async #recover (): Promise<void> {
    const needed = await logBytes(this.location) + REOPEN_MARGIN_BYTES
    const free = await freeBytes(this.location)
    if (free < needed) {
      throw new StoreError('disk-full', `the disk is full (${free} bytes free at ${this.location}, ${needed} needed to go on writing)`)
    }
    let done!: () => void
    this.#reopening = new Promise(resolve => { done = resolve })
    try {
      await drain(this.#iterators)
      const old = this.#inner
      this.#inner = undefined
      await old?.close()
      this.#inner = await openInner(this.location, this.#openOptions)
      this.#failed = undefined
    } catch (err) {
      // Closed and not reopened: reads and writes try again.
      this.#failed = storeErrorOf(err)
      throw this.#failed
    } finally {
      this.#reopening = undefined
      done()
    }
  }
}

/**
 * Opens its inner iterator at once (so it reads the database as it is now), or, while a reopen is
 * under way, at its first read once the reopen is done.
 */
class RecoveringIterator extends AbstractIterator<RecoveringLevel, Format, Format> {
  readonly #options: Options
  readonly #open: Set<RecoveringIterator>
  #inner: ReturnType<Inner['iterator']> | undefined
  #seek: [Format, Options] | undefined
  #closed = false
  readonly ended: Promise<void>
  #end!: () => void

  constructor (db: RecoveringLevel, options: Options, open: Set<RecoveringIterator>) {
    super(db, options as any)
    this.#options = options
    this.#open = open
    this.ended = new Promise(resolve => { this.#end = resolve })
    const inner = db.innerNow()
    if (inner !== undefined) this.#start(inner)
  }

  #start (inner: Inner): ReturnType<Inner['iterator']> {
    this.#inner = inner.iterator({ ...this.#options })
    this.#open.add(this)
    if (this.#seek !== undefined) this.#inner.seek(...this.#seek)
    return this.#inner
  }

  async #iterator (): Promise<ReturnType<Inner['iterator']>> {
    if (this.#inner !== undefined) return this.#inner
    const inner = await this.db.innerForIterator()
    if (this.#closed) throw new StoreError('io', 'the iterator was closed')
    return this.#inner ?? this.#start(inner)
  }

  async _next (): Promise<Entry | undefined> {
    return await (await this.#iterator()).next() as Entry | undefined
  }

  async _nextv (size: number, options: Options): Promise<Entry[]> {
    return await (await this.#iterator()).nextv(size, options) as Entry[]
  }

  async _all (options: Options): Promise<Entry[]> {
    return await (await this.#iterator()).all(options) as Entry[]
  }

  _seek (target: Format, options: Options): void {
    if (this.#inner === undefined) this.#seek = [target, options]
    else this.#inner.seek(target, options)
  }

  async _close (): Promise<void> {
    this.#closed = true
    this.#open.delete(this)
    this.#end()
    await this.#inner?.close()
  }
}

function formats (options: Options): Options {
  return { keyEncoding: options.keyEncoding, valueEncoding: options.valueEncoding, fillCache: options.fillCache }
}

async function openInner (location: string, options: Options): Promise<Inner> {
  const inner: Inner = new Level(location, { keyEncoding: 'utf8', valueEncoding: 'view' })
  try {
    await inner.open(options)
  } catch (err) {
    throw storeErrorOf((err as Error & { cause?: unknown }).cause ?? err)
  }
  return inner
}

/** Waits for iterators open on the inner database to finish, a while at most (they are short scans). */
async function drain (iterators: Set<RecoveringIterator>): Promise<void> {
  if (iterators.size === 0) return
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.all([...iterators].map(async it => { await it.ended })),
    new Promise<void>(resolve => { timer = setTimeout(resolve, ITERATOR_DRAIN_MS) })
  ])
  clearTimeout(timer)
}

async function freeBytes (dir: string): Promise<number> {
  const fs = await statfs(dir)
  return fs.bavail * fs.bsize
}

/** The write-ahead logs a reopen turns into tables: at most what it will write. */
async function logBytes (dir: string): Promise<number> {
  const names = (await readdir(dir)).filter(name => name.endsWith('.log'))
  const sizes = await Promise.all(names.map(async name => (await stat(join(dir, name))).size))
  return sizes.reduce((sum, size) => sum + size, 0)
}
