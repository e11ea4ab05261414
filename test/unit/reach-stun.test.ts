import { test } from 'node:test'
import assert from 'node:assert/strict'
import { crc32 } from 'node:zlib'
import { bindingResponse, stunEndpointsOf } from '../../p2p/reach/stun-server.ts'

function request (attributes = new Uint8Array(0)): Uint8Array {
  const bytes = new Uint8Array(20 + attributes.byteLength)
  const view = new DataView(bytes.buffer)
  view.setUint16(0, 0x0001)
  view.setUint16(2, attributes.byteLength)
  view.setUint32(4, 0x2112a442)
  bytes.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 8)
  bytes.set(attributes, 20)
  return bytes
}

test('a binding request is answered with the sender\'s address, XOR-mapped, and a valid fingerprint', () => {
  const out = bindingResponse(request(), '203.0.113.11', 50424)!
  const view = new DataView(out.buffer)
  assert.equal(view.getUint16(0), 0x0101)
  assert.deepEqual([...out.subarray(8, 20)], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'same transaction id')
  assert.equal(view.getUint16(20), 0x0020)
  assert.equal(view.getUint16(26) ^ 0x2112, 50424)
  const ip = (view.getUint32(28) ^ 0x2112a442) >>> 0
  assert.equal([ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), '203.0.113.11')
  assert.equal(view.getUint32(36), (crc32(out.subarray(0, 32)) ^ 0x5354554e) >>> 0)
  assert.ok(out.byteLength <= 2 * 20 + 8, 'no amplification beyond twice a bare request')
})

test('anything else gets no answer: short, wrong type or cookie, lying length, oversized, IPv6 sender', () => {
  assert.equal(bindingResponse(new Uint8Array(10), '203.0.113.11', 1), undefined)
  const wrongType = request(); wrongType[1] = 0x11
  assert.equal(bindingResponse(wrongType, '203.0.113.11', 1), undefined)
  const wrongCookie = request(); wrongCookie[4] = 0
  assert.equal(bindingResponse(wrongCookie, '203.0.113.11', 1), undefined)
  const lying = request(new Uint8Array(8)); lying[3] = 4
  assert.equal(bindingResponse(lying, '203.0.113.11', 1), undefined)
  assert.equal(bindingResponse(request(new Uint8Array(1000)), '203.0.113.11', 1), undefined)
  assert.equal(bindingResponse(request(), '2001:db8::1', 1), undefined)
  assert.ok(bindingResponse(request(new Uint8Array(8)), '203.0.113.11', 1) !== undefined, 'attributes the server ignores are fine')
})

test('a relay answers STUN on every IPv4 TCP address it listens on, as bound (announced or not yet), loopback left out', () => {
  // The transport manager's addresses carry no /p2p/ part; announced ones do. Both are understood.
  assert.deepEqual(stunEndpointsOf(['/ip4/198.51.100.2/tcp/4001', '/ip4/127.0.0.1/tcp/4001', '/ip4/10.0.0.5/tcp/36001/p2p/12D3KooWC7nzvQaXPzoksitHQ6n9LXDfp2Lw6ymJaniskeamiPzA']),
    [{ host: '198.51.100.2', port: 4001 }, { host: '10.0.0.5', port: 36001 }])
  assert.deepEqual(stunEndpointsOf(['/ip6/2001:db8::1/tcp/4001', '/ip4/198.51.100.2/udp/4001/quic-v1', '/ip4/198.51.100.2/tcp/4001/ws', '/webrtc']), [])
})
