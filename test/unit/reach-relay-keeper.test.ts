// The RelayKeeper's rounds, without a network: a fake node whose dials fail, and node:test's mock timers.
import { test, mock } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Peer, PeerId } from '@libp2p/interface'
import { RelayKeeper } from '../../p2p/reach/relay-keeper.ts'
import type { TidepoolNode } from '../../p2p/node/create-node.ts'

async function somePeer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

const settle = async (): Promise<void> => { for (let i = 0; i < 20; i++) await new Promise(resolve => setImmediate(resolve)) }

test('a bootstrap peer whose first dial failed is dialled again, with backoff, until met; a peer known not to relay is not', async () => {
  const bootstrapPeer = await somePeer()
  const notARelay = await somePeer()
  const peers = [
    { id: bootstrapPeer, protocols: [], tags: new Map([['bootstrap', { value: 50 }]]), addresses: [] },
    { id: notARelay, protocols: ['/ipfs/id/1.0.0'], tags: new Map([['bootstrap', { value: 50 }]]), addresses: [] }
  ] as unknown as Peer[]
  const dials: string[] = []
  const events = new EventTarget()
  const node = {
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    getMultiaddrs: () => [],
    getConnections: () => [],
    peerStore: { all: async ({ filters }: { filters: Array<(peer: Peer) => boolean> }) => peers.filter(peer => filters.every(f => f(peer))) },
    dial: async (id: PeerId) => { dials.push(id.toString()); throw new Error('connection timed out') }
  } as unknown as TidepoolNode
  mock.timers.enable({ apis: ['setTimeout'] })
  const lines: string[] = []
  const keeper = new RelayKeeper(node, line => lines.push(line), () => true)
  try {
    keeper.start()
    mock.timers.tick(0)
    await settle()
    assert.deepEqual(dials, [bootstrapPeer.toString()], 'dialled at once, the peer known not to relay left alone')
    assert.match(lines.join('\n'), new RegExp(`bootstrap peer ${bootstrapPeer.toString()} unreachable: connection timed out \\(next try in 4 s\\)`))
    mock.timers.tick(3_999)
    await settle()
    assert.equal(dials.length, 1, 'not before the backoff')
    mock.timers.tick(1)
    await settle()
    assert.equal(dials.length, 2, 'dialled again after 4 s')
    mock.timers.tick(8_000)
    await settle()
    assert.equal(dials.length, 3, 'then after 8 s')
  } finally {
    keeper.stop()
    mock.timers.reset()
  }
})
