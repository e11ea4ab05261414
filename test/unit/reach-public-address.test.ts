import { test } from 'node:test'
import assert from 'node:assert/strict'
import { dialRank, isPublicIp, listenHosts, localSubnets, reachRole } from '../../p2p/reach/public-address.ts'
import { countAsPublic } from '../../p2p/node/public-prefix.ts'
import { relaysIn } from '../../p2p/reach/relay.ts'
import { formatLine } from '../../p2p/reach/libp2p-log.ts'

const iface = (address: string, family: 'IPv4' | 'IPv6' = 'IPv4'): any => ({ address, family, internal: false, netmask: '', mac: '', cidr: null })

test('documentation ranges are private by libp2p\'s rule, public inside a --public-prefix', () => {
  assert.equal(isPublicIp('198.51.100.7'), false)
  assert.equal(isPublicIp('1.1.1.1'), true, 'a globally routed address is public by the default rule')
  assert.equal(isPublicIp('not an ip'), false)
  countAsPublic(['198.51.100.0/24'])
  assert.equal(isPublicIp('198.51.100.7'), true)
  assert.equal(isPublicIp('203.0.113.7'), false)
  assert.equal(isPublicIp('10.0.0.1'), false)
})

test('a wildcard listen address stands for every interface address of its family', () => {
  const interfaces = { lo: [iface('127.0.0.1')], eth0: [iface('192.168.1.5'), iface('fe80::1', 'IPv6')] }
  assert.deepEqual(listenHosts(['/ip4/0.0.0.0/tcp/0'], interfaces), ['127.0.0.1', '192.168.1.5'])
  assert.deepEqual(listenHosts(['/ip6/::/tcp/0'], interfaces), ['fe80::1'])
  assert.deepEqual(listenHosts(['/ip4/10.1.0.2/tcp/4001'], interfaces), ['10.1.0.2'])
})

test('role: public with a public address, behind a NAT with private ones, local with loopback only', () => {
  assert.equal(reachRole(['127.0.0.1', '198.51.100.2']), 'public')
  assert.equal(reachRole(['127.0.0.1', '192.168.1.5']), 'behind-nat')
  assert.equal(reachRole(['127.0.0.1', '::1']), 'local')
})

test('the relays of a peer are read from its /p2p-circuit addresses', () => {
  const relay = '12D3KooWFBQM8Xd6ScphoT6ZgxWymMNxRNkeJ8dL2Z61NJVTYGzx'
  const self = '12D3KooWCMyjF6kgWdxjdvzKrYw5fRW1BeTv8WbNpozQ6BYiVnWS'
  const circuit = `/ip4/198.51.100.2/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${self}`
  assert.deepEqual([...relaysIn([`/ip4/10.1.0.2/tcp/1/p2p/${self}`, circuit])], [[relay, [circuit]]])
})

test('libp2p\'s debug-style log lines are formatted for Tidepool\'s log', () => {
  assert.equal(formatLine('could not reserve slot on %p after %dms - %e', ['Qm', 12, new Error('refused')]), 'could not reserve slot on Qm after 12ms - refused')
  assert.equal(formatLine('limits %o, 100%%', [{ data: 5n }]), 'limits {"data":"5"}, 100%')
})

test('dial order: public, our LAN, relays, someone else\'s private network, loopback', () => {
  const lan = localSubnets({ eth0: [{ ...iface('10.1.0.2'), cidr: '10.1.0.2/24' }] })
  const ranked = ['/ip4/127.0.0.1/tcp/1', '/ip4/10.2.0.2/tcp/1', '/ip4/198.51.100.2/tcp/1/p2p/R/p2p-circuit/p2p/X', '/ip4/10.1.0.9/tcp/1', '/ip4/198.51.100.3/tcp/1']
    .sort((a, b) => dialRank(a, lan) - dialRank(b, lan))
  assert.deepEqual(ranked, ['/ip4/198.51.100.3/tcp/1', '/ip4/10.1.0.9/tcp/1', '/ip4/198.51.100.2/tcp/1/p2p/R/p2p-circuit/p2p/X', '/ip4/10.2.0.2/tcp/1', '/ip4/127.0.0.1/tcp/1'])
})
