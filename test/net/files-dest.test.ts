// Downloads never lie about where the file is: `complete` means its path holds the whole file; `dest` is
// checked before a byte is fetched and never overwritten unless asked; a failed copy keeps the verified
// bytes servable, and copying again needs no provider; the download folder gets each file under its
// shared name, numbered rather than over a file that is there.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startInProcess, callApi } from '../support/in-process.ts'
import { makeTempDir } from '../support/cleanup.ts'
import { MAX_LOOP_BLOCK_MS, watchLoopDelay } from '../support/loop-delay.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

const NETWORK = 'test-files-dest'
let a: RunningTidepool
let b: RunningTidepool
let dir: string

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

async function add (peer: RunningTidepool, bytes: Uint8Array, name = 'f.bin'): Promise<{ cid: string, link: string }> {
  const res = await fetch(`${peer.api.url}/api/files?name=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { authorization: `Bearer ${peer.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes)
  })
  assert.equal(res.status, 200)
  return await res.json() as { cid: string, link: string }
}

/** Polls as fast as a script would, until the entry leaves `downloading`. */
async function settled (peer: RunningTidepool, cid: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { body } = await callApi(peer, `/api/files/${cid}`)
    if (body.state !== 'downloading') return body
    if (Date.now() > deadline) throw new Error(`${cid} still downloading after ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 2))
  }
}

before(async () => {
  dir = await makeTempDir('tidepool-dest-')
  a = await startInProcess(['--network', NETWORK, '--listen', '/ip4/127.0.0.1/tcp/0'])
  b = await startInProcess(['--network', NETWORK, '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', a.ready.addrs[0]!])
})
after(async () => {
  await Promise.all([a, b].map(async p => await p?.stop()))
})

test('50 times in a row: once an entry reads complete, its path holds the whole file', { timeout: 300_000 }, async () => {
  // Both peers run on this event loop: no add, request, chunk or copy may block it for long.
  const loop = watchLoopDelay()
  for (let i = 0; i < 50; i++) {
    const bytes = randomBytes(300_000 + i)
    const { cid } = await add(a, bytes)
    // Half with a dest (the copy is the last step), half without (the content store's own file).
    const dest = i % 2 === 0 ? join(dir, `run-${i}.bin`) : undefined
    const started = await callApi(b, '/api/files/download', { cid, ...(dest === undefined ? {} : { dest }) })
    assert.equal(started.status, 200, JSON.stringify(started.body))
    const entry = await settled(b, cid)
    assert.equal(entry.state, 'complete', JSON.stringify(entry))
    if (dest !== undefined) assert.equal(entry.path, dest)
    assert.equal(sha(await readFile(entry.path)), sha(bytes), `run ${i}: ${entry.path}`)
  }
  const { blockMs, wallMs, p99Ms } = loop.stop()
  process.stderr.write(`event loop while adding and downloading 50 files: longest block ${blockMs.toFixed(0)} ms (wall-clock delay ${wallMs.toFixed(0)} ms, p99 ${p99Ms.toFixed(0)} ms)\n`)
  assert.ok(blockMs < MAX_LOOP_BLOCK_MS, `the event loop was blocked ${blockMs.toFixed(0)} ms`)
})

test('dest is checked before any byte is fetched: relative, missing folder, a folder, an existing file (409 unless overwrite)', async () => {
  const bytes = randomBytes(100_000)
  const { cid } = await add(a, bytes)
  const refuse = async (body: Record<string, unknown>, status: number, code: string): Promise<void> => {
    const res = await callApi(b, '/api/files/download', { cid, ...body })
    assert.equal(res.status, status, JSON.stringify(res.body))
    assert.equal(res.body.error.code, code)
    assert.equal((await callApi(b, `/api/files/${cid}`)).status, 404, 'no download was started')
  }
  await refuse({ dest: 'relative/out.bin' }, 400, 'bad-request')
  await refuse({ dest: join(dir, 'no-such-folder', 'out.bin') }, 400, 'bad-dest')
  await refuse({ dest: dir }, 400, 'bad-dest')
  const taken = join(dir, 'taken.bin')
  await writeFile(taken, 'mine')
  await refuse({ dest: taken }, 409, 'dest-exists')
  assert.equal(await readFile(taken, 'utf8'), 'mine', 'the existing file is untouched')

  assert.equal((await callApi(b, '/api/files/download', { cid, dest: taken, overwrite: true })).status, 200)
  const entry = await settled(b, cid)
  assert.equal(entry.state, 'complete')
  assert.equal(sha(await readFile(taken)), sha(bytes))
})

test('a failed copy keeps the verified bytes servable; resuming copies again with no provider left', { timeout: 60_000 }, async () => {
  const bytes = randomBytes(600_000)
  const { cid } = await add(a, bytes)
  const folder = join(dir, 'vanishing')
  await mkdir(folder)
  // Slow enough (the smallest rate cap) that the folder is gone before the copy.
  assert.equal((await callApi(b, '/api/files/download', { cid, dest: join(folder, 'out.bin'), maxBytesPerSecond: 65_536 })).status, 200)
  await rm(folder, { recursive: true })
  const failed = await settled(b, cid)
  assert.equal(failed.state, 'failed', JSON.stringify(failed))
  assert.match(failed.error, /copy to .*out\.bin failed/)
  const served = await fetch(`${b.api.url}/api/files/${cid}/content`, { headers: { authorization: `Bearer ${b.token}` } })
  assert.equal(served.status, 200)
  assert.equal(sha(new Uint8Array(await served.arrayBuffer())), sha(bytes))

  // The only provider leaves: resuming must not need to fetch anything.
  await callApi(a, '/api/network', { online: false })
  await mkdir(folder)
  assert.equal((await callApi(b, `/api/files/${cid}/resume`, {})).status, 200)
  const done = await settled(b, cid, 10_000)
  assert.equal(done.state, 'complete', JSON.stringify(done))
  assert.equal(sha(await readFile(join(folder, 'out.bin'))), sha(bytes))
  await callApi(a, '/api/network', { online: true })
})

test('the download folder: checked when set; each download saved under its shared name, numbered, never over a file', { timeout: 60_000 }, async () => {
  const settings = async (body?: Record<string, unknown>): Promise<{ status: number, body: any }> => {
    if (body === undefined) return await callApi(b, '/api/files/settings')
    const res = await fetch(`${b.api.url}/api/files/settings`, {
      method: 'PUT', headers: { authorization: `Bearer ${b.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body)
    })
    return { status: res.status, body: await res.json() }
  }
  // A test network keeps downloads in the library unless told otherwise (no --downloads-dir here).
  assert.equal((await settings()).body.downloadFolder, null)
  for (const bad of ['relative/dl', join(dir, 'no-such-folder')]) {
    const res = await settings({ maxUploadBytesPerSecond: null, downloadFolder: bad })
    assert.equal(res.status, 400, JSON.stringify(res.body))
    assert.equal(res.body.error.code, 'bad-folder')
  }
  const folder = join(dir, 'downloads')
  await mkdir(folder)
  await writeFile(join(folder, 'report.txt'), 'mine')
  const set = await settings({ maxUploadBytesPerSecond: null, downloadFolder: folder })
  assert.equal(set.status, 200, JSON.stringify(set.body))
  assert.equal(set.body.downloadFolder, folder)
  // Setting something else keeps the folder and does not check it again.
  assert.equal((await settings({ ...set.body, noProviderTimeoutSeconds: 120 })).body.downloadFolder, folder)

  const shared = [randomBytes(70_000), randomBytes(80_000), randomBytes(90_000)]
  const expected = ['report (1).txt', 'report (2).txt', 'report (3).txt']
  for (const [i, bytes] of shared.entries()) {
    const { cid, link } = await add(a, bytes, 'report.txt')
    assert.equal((await callApi(b, '/api/files/download', { link })).status, 200)
    const entry = await settled(b, cid)
    assert.equal(entry.state, 'complete', JSON.stringify(entry))
    assert.equal(entry.saved, join(folder, expected[i]!))
    assert.equal(entry.path, entry.saved)
    assert.equal(sha(await readFile(entry.saved)), sha(bytes))
  }
  // A name from another peer (a link is anyone's to write) cannot climb out of the folder.
  const sly = await add(a, randomBytes(10_000))
  const slyLink = `tidepool://${sly.cid}?name=${encodeURIComponent('../escape.txt')}`
  assert.equal((await callApi(b, '/api/files/download', { link: slyLink })).status, 200)
  assert.equal((await settled(b, sly.cid)).saved, join(folder, '.._escape.txt'))
  assert.equal(await readFile(join(folder, 'report.txt'), 'utf8'), 'mine', 'the file that was there is untouched')
  assert.deepEqual((await readdir(folder)).sort(), ['.._escape.txt', 'report (1).txt', 'report (2).txt', 'report (3).txt', 'report.txt'], 'no temp file left')

  // null: back to keeping downloads in the library only.
  assert.equal((await settings({ maxUploadBytesPerSecond: null, downloadFolder: null })).body.downloadFolder, null)
})
