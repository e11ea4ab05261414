// Chord's routing rules on fixed small six-bit rings, including the lecture's examples.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RingSpace, chordId, TIDEPOOL_RING } from '../../../p2p/dht/chord/ring.ts'
import { ChordRoutingTable, type NodeRef } from '../../../p2p/dht/chord/routing-table.ts'
import { runLookupSync } from '../../../p2p/dht/chord/lookup.ts'
import { SimulatedChordNetwork } from '../../../p2p/dht/simulator/chord-network.ts'
import { MAX_QUIET_FACTOR, roundDelay } from '../../../p2p/dht/chord/maintenance.ts'

const SIX_BITS = new RingSpace(6)
const node = (id: number): NodeRef => ({ id: BigInt(id), peer: `n${id}` })
const ids = (nodes: ReadonlyArray<NodeRef | undefined>): Array<number | undefined> => nodes.map(n => (n === undefined ? undefined : Number(n.id)))
// The Chord paper's ten-node, six-bit ring; the lecture shows node 8's finger table on it.
const PAPER_RING = [1, 8, 14, 21, 32, 38, 42, 48, 51, 56]

test('ring arithmetic: arcs wrap around zero', () => {
  assert.equal(SIX_BITS.between(2n, 60n, 5n), true)
  assert.equal(SIX_BITS.between(60n, 60n, 5n), false)
  assert.equal(SIX_BITS.betweenRightInclusive(5n, 60n, 5n), true)
  assert.equal(SIX_BITS.between(30n, 60n, 5n), false)
  assert.equal(SIX_BITS.distance(60n, 5n), 9n)
  assert.equal(SIX_BITS.fingerStart(56n, 5), 24n)
  assert.equal(chordId('abc').toString(16), 'a9993e364706816aba3e25717850c26c9cd0d89d') // SHA-1("abc")
  assert.equal(TIDEPOOL_RING.contains(chordId('x')), true)
})

test("the lecture's six-bit finger table for node 8, built by joins and stabilization", () => {
  const net = new SimulatedChordNetwork({ space: SIX_BITS, successorListLength: 3 })
  net.addNode(node(PAPER_RING[0] as number))
  for (const id of PAPER_RING.slice(1)) {
    net.join(node(id), 'n1')
    net.round()
  }
  for (let i = 0; i < 3; i++) net.round()
  assert.deepEqual(ids(net.table('n8').fingers), [14, 14, 14, 21, 32, 42])
  assert.equal(net.table('n8').predecessor?.id, 1n)
  assert.deepEqual(ids(net.table('n8').successors), [14, 21, 32])
  // The ideal tables the big simulations start from agree with what the protocol converged to.
  const ideal = SimulatedChordNetwork.ideal(PAPER_RING.map(node), { space: SIX_BITS, successorListLength: 3 })
  for (const id of PAPER_RING) assert.deepEqual(ids(ideal.table(`n${id}`).fingers), ids(net.table(`n${id}`).fingers), `node ${id}`)
})

test('closest preceding node routing: every key from every node reaches its successor', () => {
  const net = SimulatedChordNetwork.ideal(PAPER_RING.map(node), { space: SIX_BITS, successorListLength: 3 })
  for (const from of PAPER_RING) {
    for (let key = 0; key < 64; key++) {
      const expected = PAPER_RING.find(id => id >= key) ?? PAPER_RING[0]
      const found = net.lookup(`n${from}`, BigInt(key))
      assert.equal(found.ok && Number(found.successors[0]?.id), expected, `key ${key} from ${from}`)
      assert.ok(found.hops <= 6, `key ${key} from ${from} took ${found.hops} hops`)
    }
  }
  // From node 8, key 54 goes 8 → 42 (finger 5) → 51, whose successor 56 owns it.
  const found = net.lookup('n8', 54n)
  assert.deepEqual(ids(found.path), [42, 51])
})

test("the lecture's concurrent join: 12 and 15 join 10 <-> 20 at once and settle in two rounds", () => {
  const net = new SimulatedChordNetwork({ space: SIX_BITS, successorListLength: 3 })
  net.addNode(node(10))
  net.join(node(20), 'n10')
  net.round(['n10', 'n20'])
  assert.equal(net.table('n10').successor.id, 20n)
  assert.equal(net.table('n20').successor.id, 10n)
  // Both look up their own id (finding 20) before either has told 20 anything, then both notify 20.
  const t12 = net.addNode(node(12))
  const t15 = net.addNode(node(15))
  const s12 = net.lookup('n10', 12n)
  const s15 = net.lookup('n10', 15n)
  assert.ok(s12.ok && s15.ok)
  t12.join(s12.successors[0] as NodeRef)
  t15.join(s15.successors[0] as NodeRef)
  net.notify('n20', t12.self)
  net.notify('n20', t15.self)
  assert.equal(net.table('n20').predecessor?.id, 15n)
  for (const n of ['n10', 'n12', 'n15']) assert.equal(net.table(n).successor.id, 20n)

  const order = ['n10', 'n12', 'n15', 'n20']
  for (const peer of order) net.stabilize(peer)
  assert.equal(net.table('n10').successor.id, 15n)
  assert.equal(net.table('n12').successor.id, 15n)
  assert.equal(net.table('n15').predecessor?.id, 12n)

  for (const peer of order) net.stabilize(peer)
  assert.deepEqual(order.map(p => Number(net.table(p).successor.id)), [12, 15, 20, 10])
  assert.deepEqual(order.map(p => Number(net.table(p).predecessor?.id)), [20, 10, 12, 15])
})

test('routing around dead nodes: dead fingers are skipped and the next live successor answers', () => {
  const net = SimulatedChordNetwork.ideal(PAPER_RING.map(node), { space: SIX_BITS, successorListLength: 3 })
  net.fail('n42')
  net.fail('n21')
  const found = net.lookup('n8', 45n) // 8's finger 5 (42) is dead; 38, past its dead successor 42, answers 48
  assert.ok(found.ok)
  assert.equal(found.successors[0]?.id, 48n)
  assert.ok(found.dead.includes('n42'))
  for (let i = 0; i < 3; i++) net.round()
  assert.equal(net.table('n38').successor.id, 48n)
  assert.equal(net.table('n48').predecessor?.id, 38n)
  assert.equal(net.table('n14').successor.id, 32n)
})

test('notify: a closer predecessor replaces the old one; a farther one, ourselves or an off-ring id does not', () => {
  const t = new ChordRoutingTable(node(20), { space: SIX_BITS, successorListLength: 3 })
  assert.equal(t.notify(node(10)), true)
  assert.equal(t.notify(node(15)), true)
  assert.equal(t.notify(node(12)), false)
  assert.equal(t.notify(node(20)), false)
  assert.equal(t.notify({ id: 64n, peer: 'big' }), false)
  assert.equal(t.predecessor?.id, 15n)
})

test('a lookup refuses a next hop that does not move closer to the key', () => {
  const t = new ChordRoutingTable(node(8), { space: SIX_BITS, successorListLength: 3 })
  t.setSuccessors([node(14)])
  t.setFinger(5, node(42))
  // 42 lies, sending us back to 14 (behind it); the lookup avoids it and answers via 14's honest reply.
  const outcome = runLookupSync(t, 50n, request =>
    request.to.peer === 'n42' ? { kind: 'next', node: node(14) } : { kind: 'found', successors: [node(56)] })
  assert.ok(outcome.ok)
  assert.deepEqual(outcome.dead, ['n42'])
  assert.equal(outcome.successors[0]?.id, 56n)
})

test('forgetting the last successor falls back to the nearest other known node, never to the forgotten one', () => {
  const t = new ChordRoutingTable(node(8), { space: SIX_BITS, successorListLength: 1 })
  t.setSuccessors([node(14)])
  t.setFinger(4, node(32))
  t.notify(node(1))
  t.forget('n14')
  assert.equal(t.successor.id, 32n)
  t.forget('n32')
  assert.equal(t.successor.id, 1n)
  t.forget('n1')
  assert.equal(t.successor.peer, 'n8') // alone again
})

test('a node that left does not come back through a successor list that wraps round a small ring', () => {
  // Ring 10 → 30 → 50 with r = 4 (longer than the ring). A stranger at 40 gets in as 50's predecessor,
  // so 30 takes it as successor and the lists carry it round; then 40 goes away.
  const space = SIX_BITS
  const table = (id: number): ChordRoutingTable => new ChordRoutingTable(node(id), { space, successorListLength: 4 })
  const t30 = table(30)
  t30.setSuccessors([node(50), node(10)])
  t30.stabilize(node(40), [node(10), node(30)])
  assert.deepEqual(ids(t30.successors), [40, 50, 10])
  const t50 = table(50)
  t50.setSuccessors([node(10), node(30), node(40)]) // copied from 10, which copied 30's list
  // 50 drops its dead predecessor, 30 drops its dead successor; 30 then stabilizes with 50, whose list
  // still names 40 past the wrap (10, 30, 40): 40 must not come back in front of 50.
  t50.forget('n40')
  t30.forget('n40')
  assert.equal(t30.stabilize(t50.predecessor, [node(10), node(30), node(40)]).id, 50n)
  assert.deepEqual(ids(t30.successors), [50, 10])
  // Its own predecessor is still how a node joins between us and our successor.
  assert.equal(t30.stabilize(node(45), [node(10)]).id, 45n)
})

test('maintenance pace: each quiet round in a row doubles the wait, up to a cap; a woken ring is back at full pace', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 10].map(q => roundDelay(1000, q)), [1000, 2000, 4000, 8000, 8000, 8000])
  assert.equal(MAX_QUIET_FACTOR, 8)
})
