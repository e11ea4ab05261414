// The Dht interface's newer calls (put/get, findPeer, lookup statistics) over Kademlia, with two real
// in-process peers on 127.0.0.1 — the same calls chord-ring.test.ts makes over Chord.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startInProcess } from '../support/in-process.ts'
import { eventually } from '../support/peer-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

const extra: RunningTidepool[] = []
after(async () => { await Promise.all(extra.map(async p => await p.stop())) })

test('the same interface over Kademlia: put/get, findPeer and lookup statistics', async () => {
  const a = await startInProcess(['--network', 'test-kad-iface'])
  extra.push(a)
  const b = await startInProcess(['--network', 'test-kad-iface', '--bootstrap', a.ready.addrs[0]!])
  extra.push(b)
  // kad-dht admits a peer to its table only after checking it, which takes some seconds.
  await eventually('routing tables', async () => Math.min(a.peer.dht.summary().routingTableSize, b.peer.dht.summary().routingTableSize), n => n >= 1, 40_000)
  await a.peer.dht.put('kad-iface-key', 'hello kad')
  assert.deepEqual(await b.peer.dht.get('kad-iface-key'), [{ publisher: a.ready.peerId, value: 'hello kad' }])
  assert.deepEqual(await b.peer.dht.get('kad-iface-missing'), [])
  assert.equal((await b.peer.dht.findPeer(a.ready.peerId))?.id.toString(), a.ready.peerId)
  const stats = await b.peer.dht.lookup('kad-iface-key')
  assert.match(stats.target, /^[0-9a-f]{64}$/)
  assert.ok(stats.contacted >= 1 && stats.found.some(f => f.peer === a.ready.peerId))
})
