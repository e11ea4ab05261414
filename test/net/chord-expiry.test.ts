// Records expire unless put again: a running publisher re-puts its records, a vanished one's expire,
// and one that comes back puts its own records (kept on its disk) again.
// Three real Chord nodes on 127.0.0.1 with a 3 s record lifetime, on a shared test clock that the test
// moves forward and then drives maintenance rounds, so nothing waits on wall-clock time.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { eventually } from '../support/peer-process.ts'
import { asMember, kill, ringSettled, startChordNode, type ChordNode } from './chord-nodes.ts'

const NETWORK = 'test-chord-expiry'
let clock = Date.now()
const LIFETIME = { recordTtlMs: 3000, republishMs: 1000, now: () => clock }
const nodes: ChordNode[] = []

before(async () => {
  nodes.push(await startChordNode(NETWORK, undefined, LIFETIME))
  nodes.push(await startChordNode(NETWORK, nodes[0], LIFETIME), await startChordNode(NETWORK, nodes[0], LIFETIME))
  await ringSettled(nodes.map(asMember), 20_000)
})
after(async () => { for (const n of nodes) await kill(n) })

/** Moves the clock on by ms and lets every live node run a full maintenance round (republishing if due). */
async function advance (ms: number): Promise<void> {
  clock += ms
  await Promise.all(nodes.filter(n => !n.stopped).map(async n => { await n.dht.maintain() }))
}

const values = async (from: ChordNode, key: string): Promise<string[]> => (await from.dht.get(key)).map(r => r.value)

test('a record outlives its lifetime while its publisher runs, and expires once the publisher is gone', async () => {
  await nodes[1]!.dht.put('kept-alive', 'still here')
  await nodes[2]!.dht.put('left-behind', 'soon gone')
  for (let i = 0; i < 4; i++) await advance(1500) // two lifetimes in all
  assert.deepEqual(await values(nodes[0]!, 'kept-alive'), ['still here'])
  assert.deepEqual(await values(nodes[0]!, 'left-behind'), ['soon gone'])
  await kill(nodes[2]!)
  await advance(3500) // more than a lifetime without a re-put
  // A lookup may still meet the killed node until the ring notices; retry until it routes round it.
  await eventually('the vanished publisher\'s record is gone', async () => await values(nodes[0]!, 'left-behind').catch(err => (err as Error).message), v => Array.isArray(v) && v.length === 0, 15_000)
  assert.deepEqual(await values(nodes[1]!, 'kept-alive'), ['still here'])
})

test('a peer\'s own records are kept on its disk and put again when it comes back', async () => {
  const publisher = nodes[1]!
  await publisher.dht.put('comes-back', 'after a restart')
  await kill(publisher, { keepData: true })
  await advance(3500) // its record expires everywhere while it is down
  await eventually('the record is gone while its publisher is down', async () => await values(nodes[0]!, 'comes-back').catch(err => (err as Error).message), v => Array.isArray(v) && v.length === 0, 15_000)
  nodes.push(await startChordNode(NETWORK, nodes[0], { ...LIFETIME, restart: publisher }))
  await eventually('put again once the publisher is back on the ring', async () => await values(nodes[0]!, 'comes-back').catch(err => (err as Error).message), v => Array.isArray(v) && v.join() === 'after a restart', 20_000)
})
