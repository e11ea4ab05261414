// Our circuit addresses stay confirmed while listed, so AutoNAT never asks peers to dial them back
// through the relay; nothing else is confirmed. A fake address manager that expires confirmations after
// libp2p's default 10 minutes, and node:test's mock timers.
import { test, mock } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { CircuitAddressKeeper, circuitAddressesToKeep } from '../../p2p/reach/circuit-addresses.ts'

const TTL = 10 * 60_000
const RELAY = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp'
const CIRCUIT = `/ip4/198.51.100.2/tcp/4001/p2p/${RELAY}/p2p-circuit`
const WITHDRAWN = `/ip4/198.51.100.3/tcp/4001/p2p/${RELAY}/p2p-circuit`
const NEVER_CONFIRMED = `/ip4/198.51.100.4/tcp/4001/p2p/${RELAY}/p2p-circuit`
const PUBLIC_TCP = '/ip4/203.0.113.7/tcp/4001'

interface Entry { multiaddr: Multiaddr, type: 'transport' | 'observed', verified: boolean, expires: number, lastVerified?: number }

function fakeAddressManager () {
  const entries = new Map<string, Entry>()
  const add = (addr: string, type: Entry['type'], verified: boolean): void => {
    entries.set(addr, { multiaddr: multiaddr(addr), type, verified, expires: verified ? Date.now() + TTL : 0 })
  }
  return {
    entries,
    add,
    getAddressesWithMetadata: () => [...entries.values()].map(e => ({ ...e })),
    confirmObservedAddr: (addr: Multiaddr, options?: { type?: string }) => {
      const entry = entries.get(addr.toString())
      assert.ok(entry !== undefined && options?.type === 'transport', `confirmed only listed transport addresses: ${addr.toString()}`)
      entry.verified = true
      entry.expires = Date.now() + TTL
    }
  }
}

test('only verified circuit addresses of the transport are kept', () => {
  const m = fakeAddressManager()
  m.add(CIRCUIT, 'transport', true)
  m.add(NEVER_CONFIRMED, 'transport', false)
  m.add(PUBLIC_TCP, 'transport', true)
  m.add(`/ip4/198.51.100.9/tcp/4001/p2p/${RELAY}/p2p-circuit`, 'observed', true)
  assert.deepEqual(circuitAddressesToKeep(m.getAddressesWithMetadata() as any).map(String), [CIRCUIT])
})

test('a listed circuit address never expires in an hour; a withdrawn one is not brought back; the rest are left alone', () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'], now: 0 })
  try {
    const m = fakeAddressManager()
    m.add(CIRCUIT, 'transport', true)
    m.add(WITHDRAWN, 'transport', true)
    m.add(NEVER_CONFIRMED, 'transport', false)
    m.add(PUBLIC_TCP, 'transport', false)
    const keeper = new CircuitAddressKeeper({ addressManager: m as any })
    keeper.start()
    for (let minute = 1; minute <= 60; minute++) {
      mock.timers.tick(60_000)
      if (minute === 5) m.entries.delete(WITHDRAWN)
      assert.ok(m.entries.get(CIRCUIT)!.expires > Date.now(), `minute ${minute}: the circuit address is still confirmed`)
    }
    assert.equal(m.entries.has(WITHDRAWN), false)
    assert.equal(m.entries.get(NEVER_CONFIRMED)!.verified, false)
    assert.equal(m.entries.get(PUBLIC_TCP)!.verified, false)
    keeper.stop()
    mock.timers.tick(TTL + 60_000)
    assert.ok(m.entries.get(CIRCUIT)!.expires <= Date.now(), 'stopped: no more confirmations')
  } finally {
    mock.timers.reset()
  }
})
