// mDNS records of the LAN discovery: the answer it sends is the one @libp2p/mdns sends (PTR + a TXT
// dnsaddr per LAN address), read back as the peer it names; our own answer coming back is skipped.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import type { ResponsePacket } from 'multicast-dns'
import { answersFor, peerFromResponse } from '../../p2p/node/lan-discovery.ts'

const TAG = '_tidepool-test._udp.local'
const ID = '12D3KooWCuHzEtM5Tq2U5wdcnBSz4dpmoH4GaGV5G5rtB7Q3RpGq'

test('an answer lists the LAN and loopback addresses, and reads back as the peer', () => {
  const addrs = ['/ip4/10.1.2.3/tcp/4001', '/ip4/127.0.0.1/tcp/4001', '/ip4/8.8.8.8/tcp/4001'].map(a => multiaddr(`${a}/p2p/${ID}`))
  const answers = answersFor(TAG, 'them', addrs)
  assert.deepEqual(answers.map(a => a.type), ['PTR', 'TXT', 'TXT'], 'the public address is not announced on the LAN')
  const response = { type: 'response', answers, additionals: [] } as unknown as ResponsePacket
  const peer = peerFromResponse(response, TAG, 'us')
  assert.equal(peer?.id.toString(), ID)
  assert.deepEqual(peer?.multiaddrs.map(a => a.toString()), ['/ip4/10.1.2.3/tcp/4001', '/ip4/127.0.0.1/tcp/4001'])
  assert.equal(peerFromResponse(response, TAG, 'them'), undefined, 'our own answer')
  assert.equal(peerFromResponse(response, '_tidepool-other._udp.local', 'us'), undefined, 'another network')
  assert.deepEqual(answersFor(TAG, 'them', []), [], 'nothing to announce before we listen')
})
