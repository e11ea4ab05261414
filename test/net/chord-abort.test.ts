// Cancellation on a Chord network: a caller that gives up (a paused download's provider search) is
// answered at once, even while a hop is silent, and the silent node is not held against it.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Libp2p } from '@libp2p/interface'
import { chordProtocol } from '../../p2p/node/network-name.ts'
import { chordId } from '../../p2p/dht/chord/ring.ts'
import { keyToCid } from '../../p2p/dht/keys.ts'
import { kill, startBareNode, startChordNode, type ChordNode } from './chord-nodes.ts'

const NETWORK = 'test-chord-abort'
let asker: ChordNode | undefined
let silent: Libp2p | undefined

after(async () => {
  if (asker !== undefined) await kill(asker)
  await silent?.stop()
})

test('an aborted findProviders returns within 100 ms while a hop is silent, and the silent node is not forgotten for it', async () => {
  // A node that takes Chord streams and never answers: every lookup through it would wait out the RPC timeout.
  silent = await startBareNode()
  await silent.handle(chordProtocol(NETWORK), () => {})
  await silent.start()
  asker = await startChordNode(NETWORK, undefined, { rpcTimeoutMs: 10_000, maintenanceMs: 60_000 })
  await asker.node.dial(silent.getMultiaddrs()[0]!)
  const silentId = silent.peerId.toString()
  asker.dht.table.setSuccessors([{ id: chordId(silentId), peer: silentId }])

  const controller = new AbortController()
  const search = asker.dht.findProviders(await keyToCid('paused-download'), { signal: controller.signal })
  // Give the step request time to reach the silent node, then give up.
  await new Promise(resolve => setTimeout(resolve, 300))
  const abortedAt = performance.now()
  controller.abort()
  await assert.rejects(search, (err: Error) => err.name === 'AbortError')
  const ms = performance.now() - abortedAt
  assert.ok(ms < 100, `returned ${ms.toFixed(1)} ms after the abort`)
  // Our giving up is not the node's failure: it is still our successor.
  assert.equal(asker.dht.table.successor.peer, silentId)
})
