// Twenty real Chord nodes on 127.0.0.1 (TCP + noise + yamux + identify, each with its own LevelDB; no
// API, gossip or Kademlia, so twenty fit in one test process): every key is found from every node;
// after 30% of the nodes are killed at once, lookups succeed again once stabilization has run, and every
// key survives on its replicas.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { CID } from 'multiformats/cid'
import { chordId } from '../../p2p/dht/chord/ring.ts'
import { keyToCid } from '../../p2p/dht/keys.ts'
import { asMember, kill, ringSettled, startChordNode, type ChordNode } from './chord-nodes.ts'

const NETWORK = 'test-chord20'
const NODES = 20

const nodes: ChordNode[] = []
let keys: CID[] = []

before(async () => {
  nodes.push(await startChordNode(NETWORK))
  for (let i = 1; i < NODES; i++) nodes.push(await startChordNode(NETWORK, nodes[0]))
  keys = await Promise.all(nodes.map(async (_, i) => await keyToCid(`chord-twenty-key-${i}`)))
})
after(async () => { for (const n of nodes) await kill(n) })

const byRing = (list: ChordNode[]): ChordNode[] => [...list].sort((a, b) => (chordId(a.id) < chordId(b.id) ? -1 : 1))

const ringSettles = async (live: ChordNode[]): Promise<void> => { await ringSettled(live.map(asMember)) }

async function everyKeyFromEveryNode (live: ChordNode[]): Promise<void> {
  for (const n of live) {
    for (const [i, key] of keys.entries()) {
      const providers = await n.dht.findProviders(key)
      assert.deepEqual(providers.map(p => p.id.toString()), [nodes[i]!.id], `key ${i} from ${n.id}`)
    }
  }
}

test('twenty nodes: every key is found from every node', async () => {
  await ringSettles(nodes)
  for (const [i, n] of nodes.entries()) await n.dht.provide(keys[i]!)
  await everyKeyFromEveryNode(nodes)
})

test('after 30% of the nodes are killed at once, stabilization heals the ring and replicas keep every key', async () => {
  // Every third node round the ring: no key loses all three of its replicas (r = 3).
  const victims = byRing(nodes).filter((_, i) => i % 3 === 0).slice(0, Math.round(NODES * 0.3))
  assert.equal(victims.length, 6)
  await Promise.all(victims.map(kill))
  const live = nodes.filter(n => !n.stopped)
  await ringSettles(live)
  await everyKeyFromEveryNode(live)
  const stats = await live[0]!.dht.lookup('after-the-failures')
  assert.ok(stats.found.length > 0 && stats.found.every(f => !victims.some(v => v.id === f.peer)))
})
