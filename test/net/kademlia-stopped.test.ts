// Ten Kademlia peers with the app's tuning (p2p/dht/kademlia/tuning.ts: K = 8, α = 3, one path) on
// 127.0.0.1: after 30 % of them stop at once, with no repair, every survivor still finds every provider
// record stored before, and its lookups still end on live peers. A record lives on the K closest peers
// only, so a K too small for the peers lost would fail here (kBucketSize 1 does).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { keyToCid } from '../../p2p/dht/keys.ts'
import { KADEMLIA_TUNING } from '../../p2p/dht/kademlia/tuning.ts'
import { eventually } from '../support/peer-process.ts'
import { fillTables, startKadNodes, type KadNode } from './kad-nodes.ts'

const PEERS = 10
const STOPPED = 3
const KEYS = 5

let nodes: KadNode[] = []
after(async () => { await Promise.all(nodes.map(async n => { await n.node.stop() })) })

test('after 30 % of the peers stop, every survivor finds every provider record', async () => {
  nodes = await startKadNodes('test-kad-stopped', PEERS, KADEMLIA_TUNING)
  await fillTables(nodes, 5)
  // The first node (everyone's bootstrap) is among the stopped.
  const stopped = new Set(nodes.filter((_, i) => i % 3 === 0).slice(0, STOPPED))
  const survivors = nodes.filter(n => !stopped.has(n))
  const provided = await Promise.all(Array.from({ length: KEYS }, async (_, k) => ({ key: await keyToCid(`kad-stopped-${k}`), by: survivors[k]! })))
  for (const { key, by } of provided) await by.dht.provide(key)
  await Promise.all([...stopped].map(async n => { await n.node.stop() }))

  const stoppedIds = new Set([...stopped].map(n => n.node.peerId.toString()))
  for (const from of survivors) {
    for (const { key, by } of provided) {
      // Waited on, not timed: a query can lose an answer to a loaded machine, but a lost record never comes back.
      await eventually(`${key.toString()} from ${from.node.peerId.toString()}`, async () => (await from.dht.findProviders(key, { limit: 1 }).catch(() => [])).map(p => p.id.toString()),
        ids => ids.includes(by.node.peerId.toString()), 60_000)
    }
    const stats = await from.dht.lookup(`kad-stopped-lookup-${from.node.peerId.toString()}`)
    assert.ok(stats.found.length > 0, 'a lookup ends on some peer')
    assert.deepEqual(stats.found.filter(f => stoppedIds.has(f.peer)), [], 'a lookup ends on live peers only')
  }
})
