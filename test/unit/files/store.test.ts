// The chunk store: CIDs equal to IPFS's UnixFS importer, layouts read back, atomic adds, streaming.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, readdir, rm, stat } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { importBytes } from 'ipfs-unixfs-importer'
import { MemoryBlockstore } from 'blockstore-core'
import { FileStore, readLeaf } from '../../../p2p/files/store.ts'
import { FilesError } from '../../../p2p/files/errors.ts'
import { openTempFileStore } from '../../support/file-store.ts'

async function * chunksOf (bytes: Uint8Array, size = 65_536): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

for (const size of [0, 1000, 262_144, 262_145, 3 * 1024 * 1024 + 17, 175 * 262_144 + 5]) {
  test(`a ${size}-byte file gets the CID ipfs-unixfs-importer gives, and its layout covers every byte`, async () => {
    const { store, db } = await openTempFileStore()
    try {
      const bytes = randomBytes(size)
      const expected = await importBytes(bytes, new MemoryBlockstore())
      const record = await store.add(chunksOf(bytes), 'x.bin')
      assert.equal(record.cid, expected.cid.toV1().toString())
      assert.equal(record.size, size)
      assert.deepEqual(await readFile(store.contentPath(record.cid)), bytes)
      const layout = (await store.layout(record.cid))!
      assert.equal(layout.size, size)
      const file = await store.openContent(record.cid)
      try {
        const joined = Buffer.concat(await Promise.all(layout.leaves.map(async leaf => await readLeaf(file, leaf))))
        assert.deepEqual(joined, bytes)
      } finally { await file.close() }
    } finally { await db.close() }
  })
}

test('a failed add leaves no file and no record behind', async () => {
  const { store, db } = await openTempFileStore()
  try {
    await assert.rejects(store.add(chunksOf(randomBytes(100_000)), 'big', { maxBytes: 50_000 }), (err: unknown) => err instanceof FilesError && err.code === 'too-large')
    assert.deepEqual(await store.records(), [])
    assert.deepEqual(await readdir(join(store.dir, 'content')), [])
    assert.deepEqual(await readdir(join(store.dir, 'tmp')), [])
  } finally { await db.close() }
})

test('opening the store sweeps temp files and content that no record names', async () => {
  const { store, db, dir } = await openTempFileStore()
  try {
    const kept = await store.add(chunksOf(randomBytes(5000)), 'kept')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(join(store.dir, 'tmp', 'leftover'), 'x')
    await writeFile(store.contentPath('bafkreiorphan'), 'x')
    const again = new FileStore(dir, db)
    await again.open()
    assert.deepEqual(await readdir(join(store.dir, 'tmp')), [])
    assert.deepEqual(await readdir(join(store.dir, 'content')), [kept.cid])
  } finally { await db.close() }
})

test('a 300 MB generated file is added as a stream, without holding it in memory', { timeout: 120_000 }, async () => {
  const { store, db, dir } = await openTempFileStore()
  const path = join(dir, 'big.bin')
  try {
    // Written from a 1 MiB pattern so generating it costs no memory either.
    const { open } = await import('node:fs/promises')
    const out = await open(path, 'w')
    const block = randomBytes(1024 * 1024)
    const hash = createHash('sha256')
    for (let i = 0; i < 300; i++) { block.writeUInt32LE(i, 0); await out.write(block); hash.update(block) }
    await out.close()
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 20)
    const record = await store.add(createReadStream(path, { highWaterMark: 1024 * 1024 }), 'big.bin')
    clearInterval(sampler)
    assert.equal(record.size, 300 * 1024 * 1024)
    assert.equal((await stat(store.contentPath(record.cid))).size, 300 * 1024 * 1024)
    assert.ok(peak - before < 150 * 1024 * 1024, `RSS grew by ${Math.round((peak - before) / 1e6)} MB while adding 300 MB`)
    const copy = createHash('sha256')
    for await (const chunk of createReadStream(store.contentPath(record.cid))) copy.update(chunk as Buffer)
    assert.equal(copy.digest('hex'), hash.digest('hex'))
  } finally {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  }
})
