// Records expire unless put again: a running publisher re-puts its records, a vanished one's expire.
// Three real Chord nodes on 127.0.0.1 with a 3 s record lifetime.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { eventually } from '../support/peer-process.ts'
import { chordId } from '../../p2p/dht/chord/ring.ts'
import { kill, startChordNode, type ChordNode } from './chord-nodes.ts'

const NETWORK = 'test-chord-expiry'
const LIFETIME = { recordTtlMs: 3000, republishMs: 1000 }
const nodes: ChordNode[] = []

before(async () => {
  nodes.push(await startChordNode(NETWORK, undefined, LIFETIME))
  nodes.push(await startChordNode(NETWORK, nodes[0], LIFETIME), await startChordNode(NETWORK, nodes[0], LIFETIME))
  const order = nodes.map(n => n.id).sort((a, b) => (chordId(a) < chordId(b) ? -1 : 1))
  await eventually('three-node ring', async () => nodes.every(n => n.dht.ring().successors[0]?.peer === order[(order.indexOf(n.id) + 1) % 3]), ok => ok, 20_000)
})
after(async () => { for (const n of nodes) await kill(n) })

test('a record outlives its lifetime while its publisher runs, and expires once the publisher is gone', async () => {
  await nodes[1]!.dht.put('kept-alive', 'still here')
  await nodes[2]!.dht.put('left-behind', 'soon gone')
  await new Promise(resolve => setTimeout(resolve, 4500)) // longer than a lifetime
  assert.deepEqual((await nodes[0]!.dht.get('kept-alive')).map(r => r.value), ['still here'])
  assert.deepEqual((await nodes[0]!.dht.get('left-behind')).map(r => r.value), ['soon gone'])
  await kill(nodes[2]!)
  await eventually('the vanished publisher\'s record expires', async () => (await nodes[0]!.dht.get('left-behind')).length, n => n === 0, 15_000)
  assert.deepEqual((await nodes[1]!.dht.get('kept-alive')).map(r => r.value), ['still here'])
})
