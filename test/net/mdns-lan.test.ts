// Two laptops on a LAN with no internet and no bootstrap address find each other by mDNS.
// The LAN is two network namespaces this test makes (root only); elsewhere it is reported skipped.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startPeerProcess, eventually, type PeerProcess } from '../support/peer-process.ts'
import { lanUnavailableReason, makeLan } from '../support/netns.ts'

const unavailable = lanUnavailableReason()

test('peers on one LAN discover each other by mDNS and connect, with no bootstrap address', { skip: unavailable === undefined ? false : `skipped: ${unavailable}` }, async () => {
  const lan = makeLan()
  const peers: PeerProcess[] = []
  try {
    for (const host of lan.hosts) {
      peers.push(await startPeerProcess({ netns: host.netns, mdns: true, network: 'test-lan', listen: `/ip4/${host.address}/tcp/0` }))
    }
    const [a, b] = peers as [PeerProcess, PeerProcess]
    const status = await eventually('a sees b through mDNS', async () => (await a.api('/api/status')).body,
      s => s.peers.some((p: any) => p.peerId === b.ready.peerId && p.connected), 30_000)
    const seen = status.peers.find((p: any) => p.peerId === b.ready.peerId)
    assert.ok(seen.addrs.some((addr: string) => addr.includes(lan.hosts[1]!.address)), `b's LAN address in ${JSON.stringify(seen.addrs)}`)
    await eventually('b sees a', async () => (await b.api('/api/status')).body, s => s.peers.some((p: any) => p.peerId === a.ready.peerId && p.connected))
  } finally {
    await Promise.all(peers.map(async p => await p.stop()))
    lan.remove()
  }
})

test('peers of another network on the same LAN are not even discovered', { skip: unavailable === undefined ? false : `skipped: ${unavailable}` }, async () => {
  const lan = makeLan()
  const peers: PeerProcess[] = []
  try {
    peers.push(await startPeerProcess({ netns: lan.hosts[0]!.netns, mdns: true, network: 'test-lan-red', listen: `/ip4/${lan.hosts[0]!.address}/tcp/0` }))
    peers.push(await startPeerProcess({ netns: lan.hosts[1]!.netns, mdns: true, network: 'test-lan-blue', listen: `/ip4/${lan.hosts[1]!.address}/tcp/0` }))
    await new Promise(resolve => setTimeout(resolve, 4000))
    assert.deepEqual((await peers[0]!.api('/api/status')).body.peers, [])
  } finally {
    await Promise.all(peers.map(async p => await p.stop()))
    lan.remove()
  }
})
