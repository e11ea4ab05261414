// The reachability verdict read from libp2p's address manager, and UPnP failures reported once.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { reachabilityOf, type AddressInfo } from '../../p2p/node/reachability.ts'
import { formatLibp2pLog, reportingErrorsOnce } from '../../p2p/node/port-mapping.ts'

const entry = (addr: string, verified: boolean, type = 'transport'): AddressInfo => ({ multiaddr: multiaddr(addr), verified, type })

test('only private addresses (loopback, LAN): private', () => {
  assert.deepEqual(reachabilityOf([entry('/ip4/127.0.0.1/tcp/1', true), entry('/ip4/192.168.1.5/tcp/1', true)]), { reachability: 'private', publicAddrs: [] })
})

test('a public listener or router mapping not yet dialled back: unknown; once verified: public', () => {
  assert.equal(reachabilityOf([entry('/ip4/192.168.1.5/tcp/1', true), entry('/ip4/8.8.4.4/tcp/1', false)]).reachability, 'unknown')
  assert.equal(reachabilityOf([entry('/ip4/8.8.4.4/tcp/7', false, 'ip-mapping')]).reachability, 'unknown')
  assert.deepEqual(reachabilityOf([entry('/ip4/192.168.1.5/tcp/1', true), entry('/ip4/8.8.4.4/tcp/7', true, 'ip-mapping'), entry('/ip4/8.8.4.4/tcp/7', true, 'observed')]),
    { reachability: 'public', publicAddrs: ['/ip4/8.8.4.4/tcp/7'] })
})

test('an unverified observed address (what a NAT shows) and relay addresses prove nothing', () => {
  assert.equal(reachabilityOf([entry('/ip4/192.168.1.5/tcp/1', true), entry('/ip4/8.8.4.4/tcp/53124', false, 'observed')]).reachability, 'private')
  const relayed = '/ip4/8.8.4.4/tcp/4001/p2p/12D3KooWHqL3gFUdjPf9wHPws4kkX2nWfBpDZF19t9eaUMNDySqN/p2p-circuit'
  assert.equal(reachabilityOf([entry(relayed, true)]).reachability, 'private')
})

test('libp2p log lines are filled in plainly, errors by message', () => {
  assert.equal(formatLibp2pLog('failed to create mapping for %s:%d - %e', ['10.0.0.2', 4001, new Error('refused')]), 'failed to create mapping for 10.0.0.2:4001 - refused')
})

test('each kind of libp2p error reaches the report once; everything still goes to libp2p\'s own log', () => {
  const seen: unknown[][] = []
  const base: ComponentLogger = {
    forComponent: () => Object.assign((...args: unknown[]) => { seen.push(args) }, {
      error: (...args: unknown[]) => { seen.push(args) },
      trace: () => {},
      enabled: false,
      newScope: () => { throw new Error('unused') }
    }) as unknown as Logger
  }
  const reported: string[] = []
  const log = reportingErrorsOnce(base, line => { reported.push(line) }).forComponent('libp2p:upnp-nat')
  for (let i = 0; i < 5; i++) log.error('error mapping IP addresses - %e', new Error(`no gateway ${i}`))
  log.error('gateway search errored - %e', new Error('timeout'))
  log('created mapping')
  assert.deepEqual(reported, ['error mapping IP addresses - no gateway 0', 'gateway search errored - timeout'])
  assert.equal(seen.length, 7)
})
