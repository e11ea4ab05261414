// --public-prefix makes libp2p's own private-address rule count the prefix as public (process-wide).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isPrivate, isPrivateIp } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { countAsPublic } from '../../p2p/node/public-prefix.ts'

test('an address inside a configured prefix becomes public for libp2p; its neighbours stay private', () => {
  assert.equal(isPrivateIp('198.51.100.7'), true)
  countAsPublic(['198.51.100.0/25'])
  assert.equal(isPrivateIp('198.51.100.7'), false)
  assert.equal(isPrivate(multiaddr('/ip4/198.51.100.7/tcp/4001')), false)
  assert.equal(isPrivateIp('198.51.100.200'), true, 'outside the /25')
  assert.equal(isPrivateIp('203.0.113.1'), true)
  assert.equal(isPrivateIp('10.0.0.1'), true)
  assert.equal(isPrivateIp('127.0.0.1'), true)
  assert.equal(isPrivateIp('8.8.8.8'), false)
  countAsPublic(['203.0.113.0/24'])
  assert.equal(isPrivateIp('203.0.113.1'), false)
  assert.equal(isPrivateIp('198.51.100.7'), false, 'earlier prefixes still count')
})
