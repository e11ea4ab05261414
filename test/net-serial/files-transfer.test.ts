// File sharing between real peers (each its own `tidepool` process) on 127.0.0.1: found through the DHT,
// verified chunk by chunk, from several providers, surviving a lying provider and kill -9 on both ends.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startPeerProcess, eventually, type PeerProcess } from '../support/peer-process.ts'

const NETWORK = 'test-files'
const CHUNK = 262_144
let hub: PeerProcess
let a: PeerProcess
let b: PeerProcess
let c: PeerProcess

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
const start = async (dataDir?: string): Promise<PeerProcess> => await startPeerProcess({ network: NETWORK, dataDir, args: ['--bootstrap', hub.ready.addrs[0]!] })

async function add (peer: PeerProcess, name: string, bytes: Uint8Array): Promise<{ cid: string, link: string, size: number }> {
  const res = await fetch(`${peer.ready.api}/api/files?name=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { authorization: `Bearer ${peer.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes)
  }).catch((err: Error) => {
    // A busy run once saw the peer close the upload (EPIPE): say why if its log knows.
    throw new Error(`POST /api/files (${bytes.length} bytes) failed: ${String((err.cause as Error | undefined)?.message ?? err.message)}; the peer's log ends:\n${peer.stderr().slice(-3000)}`)
  })
  const body = await res.json()
  assert.equal(res.status, 200, JSON.stringify(body))
  return body
}

async function content (peer: PeerProcess, cid: string): Promise<Uint8Array> {
  const res = await fetch(`${peer.ready.api}/api/files/${cid}/content`, { headers: { authorization: `Bearer ${peer.token}` } })
  assert.equal(res.status, 200)
  return new Uint8Array(await res.arrayBuffer())
}

async function download (peer: PeerProcess, link: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await peer.api('/api/files/download', { body: { link, ...extra } })
  assert.equal(res.status, 200, JSON.stringify(res.body))
}

async function entry (peer: PeerProcess, cid: string): Promise<any> {
  return (await peer.api(`/api/files/${cid}`)).body
}

const complete = async (peer: PeerProcess, cid: string, timeoutMs = 60_000): Promise<any> =>
  await eventually(`${cid} complete`, async () => await entry(peer, cid), e => e.state === 'complete', timeoutMs)

before(async () => {
  hub = await startPeerProcess({ network: NETWORK })
  ;[a, b, c] = await Promise.all([start(), start(), start()])
  for (const peer of [a, b, c]) {
    await eventually('routing table', async () => (await peer.api('/api/status')).body.dht.routingTableSize, size => size > 0)
  }
})
after(async () => { await Promise.all([hub, a, b, c].map(async p => await p?.stop())) })

test('C finds a 200 MB file A added through the DHT (no dial beforehand), gets the same bytes, and then provides it too', async () => {
  const bytes = randomBytes(200 * 1024 * 1024 + 1234)
  const added = await add(a, 'big.bin', bytes)
  assert.match(added.link, new RegExp(`^tidepool://${added.cid}\\?name=big\\.bin&size=${bytes.length}$`))
  await download(c, added.link)
  const done = await complete(c, added.cid)
  assert.equal(done.bytesDone, bytes.length)
  assert.equal(done.name, 'big.bin')
  assert.equal(sha(await content(c, added.cid)), sha(bytes))
  await eventually('C listed as a provider', async () => (await b.api(`/api/dht/providers?key=${added.cid}`)).body,
    body => body.providers.some((p: any) => p.peerId === c.ready.peerId))
})

test('a provider serving corrupted chunks is dropped; the download completes from an honest one', async () => {
  const bytes = randomBytes(2 * 1024 * 1024)
  const honest = await add(a, 'two.bin', bytes)
  await add(b, 'two.bin', bytes)
  // B's disk rots under it: same size, wrong bytes. A stops sharing for now, so B is all C can find.
  await writeFile(join(b.dataDir, 'files', 'content', honest.cid), randomBytes(bytes.length))
  assert.equal((await a.api(`/api/files/${honest.cid}/pin`, { body: { pinned: false } })).status, 200)
  await download(c, honest.cid)
  await eventually('B dropped', async () => await entry(c, honest.cid), e => e.dropped.includes(b.ready.peerId))
  const partial = await readdir(join(c.dataDir, 'files', 'partial'))
  assert.ok(partial.includes(honest.cid), 'the download is still in partial/, not moved into place')
  assert.equal((await a.api(`/api/files/${honest.cid}/pin`, { body: { pinned: true } })).status, 200)
  await complete(c, honest.cid)
  assert.equal(sha(await content(c, honest.cid)), sha(bytes))
})

test('a private share: providers store ciphertext, the link\'s key opens it, the bare CID does not', async () => {
  const bytes = randomBytes(700_000)
  const res = await fetch(`${a.ready.api}/api/files?name=secret.txt&private=1`, {
    method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes)
  })
  const shared = await res.json()
  assert.equal(shared.private, true)
  const key = /#key=([A-Za-z0-9_-]{43})$/.exec(shared.link)?.[1]
  assert.ok(key !== undefined, shared.link)
  const atRest = await readFile(join(a.dataDir, 'files', 'content', shared.cid))
  assert.equal(atRest.length, bytes.length)
  assert.notDeepEqual(atRest, bytes)
  // What A serves (and C fetches and re-serves) is that ciphertext, named by its own CID.
  await download(c, shared.link)
  await complete(c, shared.cid)
  assert.deepEqual(await readFile(join(c.dataDir, 'files', 'content', shared.cid)), atRest)
  assert.equal(sha(await content(c, shared.cid)), sha(bytes))
  // B gets only the CID: it can fetch and verify the ciphertext, but cannot read it.
  await download(b, shared.cid)
  await complete(b, shared.cid)
  assert.deepEqual(await content(b, shared.cid), new Uint8Array(atRest))
  assert.equal((await entry(b, shared.cid)).private, false)
})

test('removing a download in progress stops it at once and deletes its bytes', async () => {
  const added = await add(a, 'removed.bin', randomBytes(16 * CHUNK))
  await download(c, added.link, { maxBytesPerSecond: 1024 * 1024 })
  await eventually('started', async () => await entry(c, added.cid), e => e.bytesDone > 0)
  const started = Date.now()
  assert.equal((await c.api(`/api/files/${added.cid}`, { method: 'DELETE' })).status, 200)
  assert.ok(Date.now() - started < 5000, `stopping took ${Date.now() - started} ms`)
  assert.equal((await c.api(`/api/files/${added.cid}`)).status, 404)
  assert.ok(!(await readdir(join(c.dataDir, 'files', 'partial'))).includes(added.cid))
})

test('C killed mid-download resumes after restart without fetching its verified chunks again', async () => {
  const bytes = randomBytes(24 * CHUNK)
  const added = await add(a, 'resume.bin', bytes)
  await download(c, added.link, { maxBytesPerSecond: 2 * 1024 * 1024 })
  await eventually('some chunks verified', async () => await entry(c, added.cid), e => e.bytesDone >= 6 * CHUNK && e.bytesDone < bytes.length)
  await new Promise(resolve => setTimeout(resolve, 400)) // one flush of the verified-chunk bits
  await c.kill()
  c = await start(c.dataDir)
  const done = await complete(c, added.cid)
  assert.ok(done.resumedChunks >= 6, `kept ${done.resumedChunks} chunks from before the kill`)
  assert.equal(done.resumedChunks + done.fetchedChunks, 24, 'every chunk fetched once, across both runs')
  assert.equal(sha(await content(c, added.cid)), sha(bytes))
})

test('a paused download stays paused across a restart and resumes from its verified chunks; then its path is shown', async () => {
  const bytes = randomBytes(24 * CHUNK)
  const added = await add(a, 'paused.bin', bytes)
  await download(c, added.link, { maxBytesPerSecond: 2 * 1024 * 1024 })
  await eventually('some chunks verified', async () => await entry(c, added.cid), e => e.bytesDone >= 4 * CHUNK && e.bytesDone < bytes.length)
  const paused = await c.api(`/api/files/${added.cid}/pause`, { method: 'POST' })
  assert.equal(paused.status, 200, JSON.stringify(paused.body))
  assert.equal(paused.body.state, 'paused')
  assert.equal(paused.body.path, null)
  assert.equal((await c.api(`/api/files/${added.cid}/pause`, { method: 'POST' })).status, 400, 'only a download under way pauses')
  await c.stop()
  c = await start(c.dataDir)
  // Unfinished downloads restart by themselves when the peer starts; a paused one must not.
  assert.equal((await entry(c, added.cid)).state, 'paused')
  assert.equal((await c.api(`/api/files/${added.cid}/resume`, { method: 'POST' })).body.state, 'downloading')
  const done = await complete(c, added.cid)
  assert.ok(done.resumedChunks >= 4, `kept ${done.resumedChunks} chunks from before the pause`)
  assert.equal(done.resumedChunks + done.fetchedChunks, 24, 'every chunk fetched once, across pause and restart')
  assert.equal(done.path, join(c.dataDir, 'files', 'content', added.cid))
  assert.equal(sha(await readFile(done.path)), sha(bytes))
})

test('two providers; one is killed mid-download and C finishes from the other', async () => {
  const bytes = randomBytes(24 * CHUNK)
  const added = await add(a, 'failover.bin', bytes)
  await add(b, 'failover.bin', bytes)
  await eventually('both announced', async () => (await c.api(`/api/dht/providers?key=${added.cid}`)).body,
    body => body.providers.length >= 2)
  await download(c, added.link, { maxBytesPerSecond: 2 * 1024 * 1024 })
  await eventually('downloading', async () => await entry(c, added.cid), e => e.bytesDone >= 4 * CHUNK)
  await a.kill()
  await complete(c, added.cid)
  assert.equal(sha(await content(c, added.cid)), sha(bytes))
  // The library remembers who delivered: B at least (it finished the file after A was gone), no one else.
  const providers: string[] = (await entry(c, added.cid)).providers
  assert.ok(providers.includes(b.ready.peerId), JSON.stringify(providers))
  assert.ok(providers.every(p => p === a.ready.peerId || p === b.ready.peerId), JSON.stringify(providers))
})
