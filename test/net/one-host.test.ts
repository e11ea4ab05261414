// Issue 17, test 7: peers on one host, on a network whose name does not start with "test", listening on
// loopback only, fill their routing tables and find each other's provider records.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startPeerProcess, eventually, type PeerProcess } from '../support/peer-process.ts'

const NETWORK = 'laptop-demo'
const peers: PeerProcess[] = []

before(async () => {
  const first = await startPeerProcess({ network: NETWORK })
  peers.push(first, await startPeerProcess({ network: NETWORK, args: ['--bootstrap', first.ready.addrs[0]!] }))
})
after(async () => { await Promise.all(peers.map(async p => await p.stop())) })

test('two loopback-only peers of a non-test network fill their routing tables', async () => {
  for (const peer of peers) assert.ok(peer.ready.addrs.every(a => a.startsWith('/ip4/127.0.0.1/')), peer.ready.addrs.join(' '))
  for (const [i, peer] of peers.entries()) {
    const other = peers[1 - i]!.ready.peerId
    const status = await eventually(`routing table of peer ${i}`, async () => (await peer.api('/api/status')).body,
      s => s.dht.buckets.some((b: any) => b.peers.includes(other)))
    assert.equal(status.dht.routingTableSize, 1)
  }
})

test('each finds the provider record the other put', async () => {
  for (const [i, peer] of peers.entries()) {
    const key = `one-host-key-${i}`
    const provided = await peer.api('/api/dht/provide', { body: { key } })
    assert.equal(provided.status, 200, JSON.stringify(provided.body))
    const found = await eventually(`providers of ${key}`, async () => (await peers[1 - i]!.api(`/api/dht/providers?key=${key}`)).body,
      body => body.providers?.some((p: any) => p.peerId === peer.ready.peerId))
    const record = found.providers.find((p: any) => p.peerId === peer.ready.peerId)
    assert.ok(record.addrs.some((a: string) => a.startsWith('/ip4/127.0.0.1/')), `loopback address in ${JSON.stringify(record)}`)
  }
})
