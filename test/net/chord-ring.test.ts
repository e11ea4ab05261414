// Five real Chord peers (in-process, TCP+noise+yamux on 127.0.0.1): they settle into one ring, every
// key put by one is found from every other, and a Kademlia peer of the same network is refused.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import { startInProcess } from '../support/in-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'
import { chordId } from '../../p2p/dht/chord/ring.ts'
import { keyToCid } from '../../p2p/dht/keys.ts'
import { ringOrder as byChordId, ringSettled } from './chord-nodes.ts'

const NETWORK = 'test-chord5'
const peers: RunningTidepool[] = []
const extra: RunningTidepool[] = []

before(async () => {
  const first = await startInProcess(['--network', NETWORK, '--dht', 'chord'])
  peers.push(first)
  peers.push(...await Promise.all([1, 2, 3, 4].map(async () =>
    await startInProcess(['--network', NETWORK, '--dht', 'chord', '--bootstrap', first.ready.addrs[0]!]))))
})
after(async () => { await Promise.all([...peers, ...extra].map(async p => await p.stop())) })

const ringOrder = (): string[] => byChordId(peers.map(p => p.ready.peerId))

test('five peers settle into one ring: each one\'s predecessor and successor list are its ring neighbours', async () => {
  await ringSettled(peers.map(p => ({ id: p.ready.peerId, ring: () => p.peer.dht.summary().ring })))
  const summary = (await peers[0]!.peer.status()).dht
  assert.match(summary.protocol, /^\/tidepool\/test-chord5\/chord\/1\.0\.0$/)
  assert.equal(summary.ring?.self.id, chordId(peers[0]!.ready.peerId).toString(16).padStart(40, '0'))
})

test('every key provided by one peer is found from every peer, at its successor', async () => {
  const keys = await Promise.all(peers.map(async (_, i) => await keyToCid(`chord-five-key-${i}`)))
  await Promise.all(peers.map(async (p, i) => { await p.peer.dht.provide(keys[i] as CID) }))
  for (const [i, key] of keys.entries()) {
    for (const p of peers) {
      const providers = await p.peer.dht.findProviders(key)
      assert.deepEqual(providers.map(x => x.id.toString()), [peers[i]!.ready.peerId], `key ${i} from ${p.ready.peerId}`)
      assert.ok(providers[0]!.multiaddrs.every(a => a.toString().startsWith('/ip4/127.0.0.1/')))
    }
  }
  const order = ringOrder()
  const owner = order.find(id => chordId(id) >= chordId(keys[0]!.toString())) ?? order[0]
  const stats = await peers[2]!.peer.dht.lookup(keys[0]!.toString())
  assert.equal(stats.found[0]?.peer, owner)
  assert.equal(stats.found[0]?.id, chordId(owner!).toString(16).padStart(40, '0'))
  assert.ok(stats.hops >= 0 && stats.hops <= 4, `hops ${stats.hops}`)
  assert.equal(stats.path.length <= stats.hops, true)
  assert.deepEqual(await peers[3]!.peer.dht.get('nobody-put-this'), [])
})

test('put and get carry values; findPeer finds a ring member', async () => {
  await peers[1]!.peer.dht.put('chord-five-value', 'hello ring')
  const records = await peers[4]!.peer.dht.get('chord-five-value')
  assert.deepEqual(records, [{ publisher: peers[1]!.ready.peerId, value: 'hello ring' }])
  const found = await peers[3]!.peer.dht.findPeer(peers[0]!.ready.peerId)
  assert.equal(found?.id.toString(), peers[0]!.ready.peerId)
})

test('a Kademlia peer of the same network is refused with a clear error, both ways', async () => {
  const kad = await startInProcess(['--network', NETWORK, '--dht', 'kademlia'])
  extra.push(kad)
  await assert.rejects(peers[0]!.peer.dial(kad.ready.addrs[0]!), (err: any) => err.code === 'wrong-network' && /runs kademlia/.test(err.message) && /uses chord/.test(err.message))
  await assert.rejects(kad.peer.dial(peers[0]!.ready.addrs[0]!), (err: any) => err.code === 'wrong-network' && /runs chord/.test(err.message))
})
