// The command printed (and shown on the Start screen) for a second peer on this machine.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { secondPeerCommand } from '../../p2p/api/contract.ts'

const LOOP = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA'
const LAN = '/ip4/192.168.1.20/tcp/4001/p2p/12D3KooWA'

test('joins through loopback on a test network and through the LAN elsewhere, with the same DHT and chain', () => {
  assert.equal(secondPeerCommand({ network: 'test-x', addrs: [LAN, LOOP] }),
    `npx tidepool --headless --data-dir ./tidepool-peer-2 --network test-x --bootstrap ${LOOP}`)
  assert.equal(secondPeerCommand({ network: 'tidepool', addrs: [LOOP, LAN], dht: 'chord', chain: 'test' }),
    `npx tidepool --headless --data-dir ./tidepool-peer-2 --network tidepool --dht chord --chain test --bootstrap ${LAN}`)
})

test('no dialable address, no command', () => {
  assert.equal(secondPeerCommand({ network: 'test', addrs: ['/ip4/127.0.0.1/tcp/4001'] }), null)
})
