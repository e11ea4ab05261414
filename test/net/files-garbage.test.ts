// Garbage on the files protocol: oversized, malformed and invalid requests close that stream with an error,
// change nothing on disk, and the peer keeps serving others (the sender's score drops with each, so
// it ends up banned: p2p/node/peer-conduct.ts). Three real peers in this process, on 127.0.0.1.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { startInProcess } from '../support/in-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'
import { messageChannel, type MessageChannel } from '../../p2p/wire/index.ts'
import { filesProtocol, ManifestHeader } from '../../p2p/files/protocol.ts'

let provider: RunningTidepool
let attacker: RunningTidepool
let honest: RunningTidepool
let cid: string

async function channel (from = attacker): Promise<MessageChannel> {
  const stream = await from.peer.node.dialProtocol(multiaddr(provider.ready.addrs[0]!), filesProtocol(provider.ready.network))
  return messageChannel(stream, { maxMessageBytes: 4 * 1024 * 1024, timeoutMs: 5000 })
}

async function library (): Promise<unknown> {
  const res = await fetch(`${provider.api.url}/api/files`, { headers: { authorization: `Bearer ${provider.token}` } })
  return (await res.json() as any[]).map(f => ({ cid: f.cid, state: f.state, size: f.size }))
}

before(async () => {
  provider = await startInProcess(['--listen', '/ip4/127.0.0.1/tcp/0'])
  attacker = await startInProcess(['--listen', '/ip4/127.0.0.1/tcp/0'])
  honest = await startInProcess(['--listen', '/ip4/127.0.0.1/tcp/0'])
  const res = await fetch(`${provider.api.url}/api/files?name=g.bin`, {
    method: 'POST', headers: { authorization: `Bearer ${provider.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(randomBytes(600_000))
  })
  cid = (await res.json() as { cid: string }).cid
})
after(async () => { await attacker?.stop(); await honest?.stop(); await provider?.stop() })

const garbage: Array<[string, (c: MessageChannel) => Promise<void>]> = [
  ['an oversized frame', async c => { await c.writeBytes(new Uint8Array(2 * 1024 * 1024)) }],
  ['a frame that is not JSON', async c => { await c.writeBytes(new Uint8Array([0xff, 0xfe, 0x00, 0x7b])) }],
  ['a request of an unknown type', async c => { await c.write({ type: 'delete-everything', root: 'x' }) }],
  ['a range too long', async c => { await c.write({ type: 'range', root: cid, start: 0, count: 100_000 }) }],
  ['a range past the end of the file', async c => { await c.write({ type: 'range', root: cid, start: 2, count: 2 }) }]
]

for (const [what, send] of garbage) {
  test(`${what} ends that stream, changes nothing, and the provider keeps serving`, async () => {
    const before = await library()
    const c = await channel()
    await send(c)
    await assert.rejects(c.readBytes(), (err: Error) => err.name === 'WireError')
    assert.deepEqual(await library(), before)
    assert.deepEqual(await readdir(join(provider.peer.dataDir, 'files', 'tmp')), [])
    const fresh = await channel(honest)
    await fresh.write({ type: 'manifest', root: cid })
    assert.deepEqual(await fresh.read(ManifestHeader), { type: 'manifest', size: 600_000, blocks: 1 })
    await fresh.readBytes()
    await fresh.close()
  })
}

test('asking for a file the peer does not share gets "missing", and the stream stays usable', async () => {
  const c = await channel(honest)
  await c.write({ type: 'manifest', root: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku' })
  assert.deepEqual(await c.read(ManifestHeader), { type: 'missing' })
  await c.write({ type: 'manifest', root: cid })
  assert.equal((await c.read(ManifestHeader)).type, 'manifest')
  await c.close()
})
