// The files routes on a real in-process peer: bad requests get a 4xx naming the problem, and nothing is added.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startInProcess } from '../../support/in-process.ts'
import type { RunningTidepool } from '../../../p2p/cli.ts'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

let peer: RunningTidepool

async function call (path: string, init: { method?: string, json?: unknown, body?: Uint8Array<ArrayBuffer>, type?: string } = {}): Promise<{ status: number, body: any }> {
  const res = await fetch(peer.api.url + path, {
    method: init.method ?? (init.json === undefined && init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${peer.token}`, 'content-type': init.type ?? (init.json !== undefined ? 'application/json' : 'application/octet-stream') },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body
  })
  return { status: res.status, body: await res.json() }
}

before(async () => { peer = await startInProcess() })
after(async () => { await peer.stop() })

const bad: Array<[string, string, Parameters<typeof call>[1], number, string]> = [
  ['bytes without a name', '/api/files', { body: new Uint8Array(10) }, 400, 'bad-request'],
  ['a name with a slash', '/api/files?name=a/b', { body: new Uint8Array(10) }, 400, 'bad-request'],
  ['a relative path', '/api/files', { json: { path: 'x.bin' } }, 400, 'bad-request'],
  ['a path that is no file', '/api/files', { json: { path: '/nonexistent/x.bin' } }, 400, 'bad-request'],
  ['an unknown field', '/api/files', { json: { path: '/etc/hostname', extra: 1 } }, 400, 'bad-request'],
  ['both link and cid', '/api/files/download', { json: { link: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku', cid: 'x' } }, 400, 'bad-request'],
  ['a link that is no CID', '/api/files/download', { json: { link: 'tidepool://hello' } }, 400, 'bad-cid'],
  ['a rate cap under 64 KiB/s', '/api/files/download', { json: { cid: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku', maxBytesPerSecond: 60_000 } }, 400, 'bad-request'],
  ['a relative dest', '/api/files/download', { json: { cid: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku', dest: 'out.bin' } }, 400, 'bad-request'],
  ['an unknown file', '/api/files/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku', {}, 404, 'not-found'],
  ['content of an unknown file', '/api/files/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku/content', {}, 404, 'not-found'],
  ['a bad CID in the path', '/api/files/not-a-cid', {}, 400, 'bad-cid'],
  ['pausing an unknown file', '/api/files/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku/pause', { method: 'POST' }, 404, 'not-found'],
  ['an upload cap under 64 KiB/s', '/api/files/settings', { method: 'PUT', json: { maxUploadBytesPerSecond: 1000 } }, 400, 'bad-request'],
  ['settings with an unknown field', '/api/files/settings', { method: 'PUT', json: { maxUploadBytesPerSecond: null, turbo: true } }, 400, 'bad-request'],
  ['resuming an unknown file', '/api/files/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku/resume', { method: 'POST' }, 404, 'not-found']
]

for (const [what, path, init, status, code] of bad) {
  test(`${what} → ${status} ${code}, nothing added`, async () => {
    const res = await call(path, init)
    assert.equal(res.status, status, JSON.stringify(res.body))
    assert.equal(res.body.error.code, code)
    assert.deepEqual((await call('/api/files')).body, [])
  })
}

test('bytes added are listed, streamed back, unpinned and removed', async () => {
  const bytes = new TextEncoder().encode('hello tidepool\n')
  const added = await call('/api/files?name=hello.txt', { body: bytes })
  assert.equal(added.status, 200)
  // A one-chunk file is its own raw block: CIDv1, raw codec, SHA-256, as in IPFS.
  assert.equal(added.body.cid, CID.createV1(raw.code, await sha256.digest(bytes)).toString())
  assert.equal(added.body.state, 'sharing')
  assert.match(added.body.path, new RegExp(`/files/content/${added.body.cid}$`))
  assert.equal((await call(`/api/files/${added.body.cid}/pause`, { method: 'POST' })).status, 400, 'a shared file has no download to pause')
  assert.equal((await call(`/api/files/${added.body.cid}/resume`, { method: 'POST' })).status, 400)
  const content = await fetch(`${peer.api.url}/api/files/${added.body.cid}/content`, { headers: { authorization: `Bearer ${peer.token}` } })
  assert.equal(content.headers.get('content-length'), String(bytes.length))
  assert.deepEqual(new Uint8Array(await content.arrayBuffer()), bytes)
  assert.equal((await call(`/api/files/${added.body.cid}/pin`, { json: { pinned: false } })).body.pinned, false)
  assert.equal((await call(`/api/files/${added.body.cid}`, { method: 'DELETE' })).status, 200)
  assert.deepEqual((await call('/api/files')).body, [])
})

test('the upload cap is read back as set, and cleared with null', async () => {
  // The download folder in use is part of the answer: none on a test network without --downloads-dir.
  assert.deepEqual((await call('/api/files/settings')).body, { maxUploadBytesPerSecond: null, downloadFolder: null })
  const set = await call('/api/files/settings', { method: 'PUT', json: { maxUploadBytesPerSecond: 1_048_576 } })
  assert.equal(set.status, 200, JSON.stringify(set.body))
  assert.deepEqual((await call('/api/files/settings')).body, { maxUploadBytesPerSecond: 1_048_576, downloadFolder: null })
  assert.equal((await call('/api/files/settings', { method: 'PUT', json: { maxUploadBytesPerSecond: null } })).status, 200)
  assert.deepEqual((await call('/api/files/settings')).body, { maxUploadBytesPerSecond: null, downloadFolder: null })
})
