// The app database on a disk that runs full, for real (a small tmpfs): writes refused while it is full
// are refused with a coded error, and nothing written before or after is lost at the next open.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { readdir, writeFile } from 'node:fs/promises'
import { openAppStore } from '../../p2p/store/app-store.ts'
import { openLibp2pDatastore, StoreError, StoreOpenError } from '../../p2p/store/index.ts'
import { mountTmpfs, TMPFS_SKIP, type Tmpfs } from '../support/tmpfs.ts'
import { makeTempDir } from '../support/cleanup.ts'

const mounts: Tmpfs[] = []
after(() => { for (const m of mounts) m.unmount() })

const RECORD = 20 * 1024
const key = (i: number): string => `block/${String(i).padStart(6, '0')}`
const value = (i: number): Uint8Array => new Uint8Array(RECORD).fill(i % 251)

test('writes after a full disk has room again survive a restart (a torn log record hides nothing)', { skip: TMPFS_SKIP }, async () => {
  const disk = await mountTmpfs(8)
  mounts.push(disk)
  const dataDir = join(disk.dir, 'peer')
  let db = await openAppStore(dataDir)
  const chain = db.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' })
  const acknowledged: number[] = []
  const write = async (i: number): Promise<boolean> => {
    try {
      await chain.batch([{ type: 'put', key: key(i), value: value(i) }, { type: 'put', key: 'tip', value: new TextEncoder().encode(String(i)) }])
      acknowledged.push(i)
      return true
    } catch (err) {
      assert.ok(err instanceof StoreError, `write ${i} failed with ${String(err)}`)
      assert.equal(err.code, 'disk-full')
      return false
    }
  }
  let i = 0
  for (; i < 20; i++) assert.ok(await write(i), `write ${i} before the disk filled`)
  await disk.fill(30 * 1024) // room for about one record, not two: the second is torn
  // At once, as the parts write: none may land in the log after a torn one.
  const results = await Promise.all(Array.from({ length: 10 }, async (_, n) => await write(i + n)))
  i += 10
  const refused = results.filter(ok => !ok).length
  assert.ok(refused > 0, 'some writes were refused while the disk was full')
  assert.equal((await chain.get(key(5)))?.[0], 5, 'reads go on while the disk is full')
  assert.equal(new TextDecoder().decode(await chain.get('tip')), String(acknowledged.at(-1)), 'the tip is the last acknowledged write')
  await disk.free()
  for (; i < 200; i++) assert.ok(await write(i), `write ${i} after the disk had room again`)
  assert.equal((await chain.keys().all()).length, acknowledged.length + 1, 'a scan after the reopen sees every acknowledged write and the tip')
  await db.close()

  db = await openAppStore(dataDir)
  const reopened = db.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' })
  const missing: number[] = []
  for (const n of acknowledged) if ((await reopened.get(key(n)))?.[0] !== n % 251) missing.push(n)
  assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged writes lost at the restart`)
  assert.equal(new TextDecoder().decode(await reopened.get('tip')), '199')
  await db.close()
})

test('a database that cannot open says why: a full disk, another Tidepool holding it, or damage', async t => {
  await t.test('full disk', { skip: TMPFS_SKIP }, async () => {
    const disk = await mountTmpfs(8)
    mounts.push(disk)
    const dataDir = join(disk.dir, 'peer')
    const db = await openAppStore(dataDir)
    // In the log, not yet in a table: the next open must write a table, and finds no room for it.
    for (let i = 0; i < 20; i++) await db.put(key(i), value(i))
    await db.close()
    await disk.fill()
    await assert.rejects(openAppStore(dataDir), (err: unknown) => {
      assert.ok(err instanceof StoreOpenError)
      assert.equal(err.code, 'disk-full')
      assert.match(err.message, /the disk is full/)
      assert.doesNotMatch(err.message, /another Tidepool/)
      return true
    })
    await disk.free()
    const again = await openAppStore(dataDir)
    assert.equal((await again.get(key(19)))?.[0], 19, 'nothing lost once there is room')
    await again.close()
  })

  await t.test('held by another', async () => {
    const dataDir = await makeTempDir('tidepool-store-')
    const first = await openLibp2pDatastore(dataDir)
    try {
      await assert.rejects(openLibp2pDatastore(dataDir), (err: unknown) => {
        assert.ok(err instanceof StoreOpenError)
        assert.equal(err.code, 'locked')
        assert.match(err.message, /another Tidepool running on this data dir/)
        return true
      })
    } finally {
      await first.close()
    }
  })

  await t.test('damaged', async () => {
    const dataDir = await makeTempDir('tidepool-store-')
    const db = await openAppStore(dataDir)
    await db.put('a', value(1))
    await db.close()
    const manifest = (await readdir(join(dataDir, 'store'))).find(name => name.startsWith('MANIFEST-'))!
    await writeFile(join(dataDir, 'store', manifest), Buffer.alloc(100, 7))
    await assert.rejects(openAppStore(dataDir), (err: unknown) => {
      assert.ok(err instanceof StoreOpenError)
      assert.equal(err.code, 'corrupt')
      assert.match(err.message, /damaged/)
      assert.doesNotMatch(err.message, /another Tidepool/)
      return true
    })
  })
})
