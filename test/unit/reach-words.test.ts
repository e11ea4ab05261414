// The Peers view's words for reachability and connection paths, and the relay note under links and
// invites; with and without the relay fields the core's relay part adds to /api/status.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { PeerInfo, Status } from '../../renderer/src/api/types.ts'
import { connectionPath, reachabilityText, relayNote } from '../../renderer/src/reach.ts'

const ID = '12D3KooWHqL3gFUdjPf9wHPws4kkX2nWfBpDZF19t9eaUMNDySqN'
const RELAY = '12D3KooWNWdQhToS8UVeR3cnam57zqk5qintaitnDu3EXJJeJ4Hq'
const status = (extra: Partial<Status> & Record<string, unknown>): Status => ({
  peerId: ID, addrs: [], network: 'tidepool', online: true, peers: [],
  dht: { mode: 'server', protocol: '/tidepool/tidepool/kad/1.0.0', routingTableSize: 0, buckets: [] },
  reachability: 'private', publicAddrs: [], ...extra
} as Status)
const peer = (extra: Record<string, unknown> = {}): PeerInfo => ({ peerId: RELAY, addrs: [], latencyMs: 3, connected: true, ...extra } as PeerInfo)

test('reachability in plain words: public, checking, behind a NAT, reachable via relays', () => {
  assert.equal(reachabilityText(status({ reachability: 'public', publicAddrs: ['/ip4/198.51.100.1/tcp/4001'] })).label, 'Public')
  assert.match(reachabilityText(status({ reachability: 'public', publicAddrs: ['/ip4/198.51.100.1/tcp/4001'] })).hint, /198\.51\.100\.1/)
  assert.equal(reachabilityText(status({ reachability: 'unknown' })).label, 'Checking')
  assert.equal(reachabilityText(status({})).label, 'Behind a NAT')
  assert.equal(reachabilityText(status({ relays: [{ peerId: RELAY, addrs: [] }, { peerId: ID, addrs: [] }] })).label, 'Behind a NAT, reachable via 2 relays')
})

test('each connection: direct (also when the core says nothing), hole-punched, relayed through whom', () => {
  assert.equal(connectionPath(peer()), 'direct')
  assert.equal(connectionPath(peer({ connection: 'direct', holePunched: true })), 'hole-punched')
  assert.equal(connectionPath(peer({ connection: 'relayed', relay: RELAY })), 'relayed via 12D3KooW…JeJ4Hq')
  assert.equal(connectionPath(peer({ connection: 'relayed' })), 'relayed')
  assert.equal(connectionPath(peer({ connected: false })), '—')
})

test('a link or invite made behind a NAT says it goes through a relay; none is said when public or unknown', () => {
  assert.match(relayNote(status({ relays: [{ peerId: RELAY, addrs: [] }] }), 'link')!, /through a relay \(1 relay held\)/)
  assert.match(relayNote(status({}), 'invite')!, /holds no relay yet/)
  assert.equal(relayNote(status({ reachability: 'public', publicAddrs: ['/ip4/198.51.100.1/tcp/4001'] }), 'link'), null)
  assert.equal(relayNote(status({ reachability: 'unknown' }), 'link'), null)
  assert.equal(relayNote(null, 'link'), null)
})
