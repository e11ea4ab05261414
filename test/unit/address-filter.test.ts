// The DHT's address filter: loopback addresses count only for peers that reached us over loopback.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2pEvents, PeerId, TypedEventTarget } from '@libp2p/interface'
import { HostPeers, MAX_HOST_PEERS } from '../../p2p/node/address-filter.ts'

const newPeerId = async (): Promise<PeerId> => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const ADDRS = ['/ip4/127.0.0.1/tcp/4001', '/ip6/::1/tcp/4001', '/ip4/192.168.1.7/tcp/4001'].map(a => multiaddr(a))

function opened (events: EventTarget, remotePeer: PeerId, remoteAddr: string): void {
  events.dispatchEvent(new CustomEvent('connection:open', { detail: { remotePeer, remoteAddr: multiaddr(remoteAddr) } }))
}

/** A HostPeers for `self`, watching an event target the test opens connections on. */
function watching (self: PeerId): { events: EventTarget, hostPeers: HostPeers } {
  const events = new EventTarget()
  const hostPeers = new HostPeers(self)
  hostPeers.watch(events as TypedEventTarget<Libp2pEvents>)
  return { events, hostPeers }
}

test('a peer met over the LAN keeps its LAN addresses and loses its loopback ones', async () => {
  const { events, hostPeers } = watching(await newPeerId())
  const remote = await newPeerId()
  opened(events, remote, '/ip4/192.168.1.7/tcp/4001')
  assert.deepEqual(hostPeers.mapper({ id: remote, multiaddrs: ADDRS }).multiaddrs.map(String), ['/ip4/192.168.1.7/tcp/4001'])
})

test('a peer that reached us over loopback, and this peer itself, keep every address', async () => {
  const self = await newPeerId()
  const { events, hostPeers } = watching(self)
  const neighbour = await newPeerId()
  opened(events, neighbour, '/ip4/127.0.0.1/tcp/53211')
  assert.equal(hostPeers.mapper({ id: neighbour, multiaddrs: ADDRS }).multiaddrs.length, ADDRS.length)
  assert.equal(hostPeers.mapper({ id: self, multiaddrs: ADDRS }).multiaddrs.length, ADDRS.length)
})

test('the set of peers on this host is bounded, forgetting the oldest first', async () => {
  const { events, hostPeers } = watching(await newPeerId())
  const first = await newPeerId()
  opened(events, first, '/ip6/::1/tcp/1')
  for (let i = 0; i < MAX_HOST_PEERS; i++) opened(events, await newPeerId(), '/ip4/127.0.0.1/tcp/1')
  assert.equal(hostPeers.isOnThisHost(first), false)
})
