// Five real peers, each its own `tidepool` process, on 127.0.0.1.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startPeerProcess, eventually, type PeerProcess } from '../support/peer-process.ts'

const NETWORK = 'test-five'
const peers: PeerProcess[] = []

before(async () => {
  const first = await startPeerProcess({ network: NETWORK })
  peers.push(first)
  const others = await Promise.all([1, 2, 3, 4].map(async () => await startPeerProcess({ network: NETWORK, args: ['--bootstrap', first.ready.addrs[0]!] })))
  peers.push(...others)
})
after(async () => { await Promise.all(peers.map(async p => await p.stop())) })

test('the ready line names the peer, its loopback addresses, the API and the network', () => {
  for (const peer of peers) {
    assert.match(peer.ready.peerId, /^12D3KooW/)
    assert.ok(peer.ready.addrs.length > 0)
    for (const addr of peer.ready.addrs) assert.match(addr, new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${peer.ready.peerId}$`))
    assert.match(peer.ready.api, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(peer.ready.network, NETWORK)
  }
})

test('bootstrapped through one peer, every peer ends with a non-empty routing table and the bootstrap peer knows all', async () => {
  for (const peer of peers) {
    await eventually(`routing table of ${peer.ready.peerId}`, async () => (await peer.api('/api/status')).body.dht.routingTableSize, size => size > 0)
  }
  const hub = await eventually('bootstrap peer sees four peers', async () => (await peers[0]!.api('/api/status')).body, s => s.peers.filter((p: any) => p.connected).length >= 4)
  const others = new Set(peers.slice(1).map(p => p.ready.peerId))
  for (const id of others) assert.ok(hub.peers.some((p: any) => p.peerId === id && p.connected), `${id} connected to the bootstrap peer`)
  const bucketed = hub.dht.buckets.flatMap((b: any) => b.peers)
  assert.equal(bucketed.length, hub.dht.routingTableSize)
})

test('connected peers get a measured latency', async () => {
  const status = await eventually('latency measured', async () => (await peers[0]!.api('/api/status')).body,
    s => s.peers.some((p: any) => p.connected && typeof p.latencyMs === 'number'))
  const measured = status.peers.find((p: any) => typeof p.latencyMs === 'number')
  assert.ok(measured.latencyMs >= 0 && measured.latencyMs < 5000)
})

test('a provider record put by one peer is found by another', async () => {
  const provided = await peers[1]!.api('/api/dht/provide', { body: { key: 'tidepool-five-peers-key' } })
  assert.equal(provided.status, 200, JSON.stringify(provided.body))
  assert.match(provided.body.cid, /^baf/)
  const found = await eventually('providers of the key', async () => (await peers[4]!.api(`/api/dht/providers?key=tidepool-five-peers-key`)).body,
    body => body.providers?.some((p: any) => p.peerId === peers[1]!.ready.peerId))
  assert.equal(found.cid, provided.body.cid)
  const missing = await peers[4]!.api('/api/dht/providers?key=nobody-provides-this')
  assert.deepEqual(missing.body.providers, [])
})

test('a peer restarted on the same data dir has the same id and reconnects by itself, without --bootstrap', async () => {
  const old = peers[3]!
  await eventually('restart candidate knows peers', async () => (await old.api('/api/status')).body, s => s.peers.filter((p: any) => p.connected).length >= 1)
  assert.deepEqual(await old.stop(), { code: 0, signal: null })
  const restarted = await startPeerProcess({ network: NETWORK, dataDir: old.dataDir })
  peers[3] = restarted
  assert.equal(restarted.ready.peerId, old.ready.peerId)
  const status = await eventually('restarted peer reconnects', async () => (await restarted.api('/api/status')).body,
    s => s.peers.some((p: any) => p.connected))
  assert.ok(status.peers.length >= 1)
})
