// Malformed and lying Chord messages, from a real libp2p peer on 127.0.0.1, against a real three-node
// ring: each is refused with the stream aborted, the routing state and the records stay as they were,
// and the nodes keep serving.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Libp2p, Stream } from '@libp2p/interface'
import { messageChannel } from '../../p2p/wire/index.ts'
import { chordProtocol } from '../../p2p/node/network-name.ts'
import { MAX_MESSAGE_BYTES, MAX_NODES } from '../../p2p/dht/chord/protocol.ts'
import { chordId, idToHex } from '../../p2p/dht/chord/ring.ts'
import { eventually } from '../support/peer-process.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { signRecord } from '../../p2p/dht/signed-records.ts'
import { asMember, kill, ringSettled, startBareNode, startChordNode, type ChordNode } from './chord-nodes.ts'

const NETWORK = 'test-chord-garbage'
const PROTOCOL = chordProtocol(NETWORK)
const ring: ChordNode[] = []
let attacker: Libp2p

before(async () => {
  ring.push(await startChordNode(NETWORK))
  ring.push(await startChordNode(NETWORK, ring[0]), await startChordNode(NETWORK, ring[0]))
  await settled()
  attacker = await startBareNode()
  await attacker.start()
})
after(async () => {
  await attacker.stop()
  for (const n of ring) await kill(n)
})

/**
 * The routing state a malformed message could corrupt: predecessor and successor list. Fingers are left
 * out because fix-fingers keeps filling them in on its own timer; they are checked to hold ring members.
 */
const snapshot = (): string => JSON.stringify(ring.map(n => {
  const { self, predecessor, successors } = n.dht.ring()
  return { self, predecessor, successors }
}))

function fingersAreRingMembers (): void {
  const members = new Set(ring.map(n => n.id))
  for (const n of ring) for (const f of n.dht.ring().fingers) assert.ok(members.has(f.peer), `finger ${f.index} of ${n.id} is ${f.peer}`)
}

const settled = async (): Promise<void> => { await ringSettled(ring.map(asMember), 20_000) }

async function openTo (target: ChordNode): Promise<Stream> {
  return await attacker.dialProtocol(target.node.getMultiaddrs()[0]!, PROTOCOL)
}

/** Sends one frame and expects the node to abort the stream instead of answering. */
async function refused (target: ChordNode, message: unknown): Promise<void> {
  const channel = messageChannel(await openTo(target), { maxMessageBytes: 2 * MAX_MESSAGE_BYTES, timeoutMs: 5000 })
  if (message instanceof Uint8Array) await channel.writeBytes(message)
  else await channel.write(message)
  await assert.rejects(channel.readBytes(), (err: any) => err.name === 'WireError', `no answer to ${JSON.stringify(message).slice(0, 80)}`)
}

async function stillServes (target: ChordNode): Promise<void> {
  const channel = messageChannel(await openTo(target))
  await channel.write({ type: 'ping' })
  assert.deepEqual(JSON.parse(new TextDecoder().decode(await channel.readBytes())), { pong: true })
}

test('malformed requests are refused and change nothing: not JSON, unknown type, out-of-range ids, oversized lists and frames', async () => {
  const before = snapshot()
  const victim = ring[0]!
  await refused(victim, new TextEncoder().encode('{"type": "step", '))
  await refused(victim, { type: 'become-successor' })
  await refused(victim, { type: 'step', key: '1' + '0'.repeat(40), avoid: [] }) // 2^160: off the ring
  await refused(victim, { type: 'step', key: 'F'.repeat(40), avoid: [] })
  await refused(victim, { type: 'step', key: '0'.repeat(40), avoid: Array.from({ length: MAX_NODES + 1 }, () => ring[1]!.id) })
  await refused(victim, new Uint8Array(MAX_MESSAGE_BYTES + 1))
  await refused(victim, { type: 'store', records: [{ keyId: '0'.repeat(40), key: 'x', publisher: ring[1]!.id, value: 'v', expiresAt: 1, extra: true }] })
  assert.equal(snapshot(), before)
  fingersAreRingMembers()
  await stillServes(victim)
})

test('a record whose key does not hash to its key id is refused and not stored', async () => {
  const victim = ring[1]!
  await refused(victim, { type: 'store', records: [{ keyId: idToHex(chordId('honest-key')), key: 'other-key', publisher: ring[2]!.id, value: 'forged', expiresAt: Date.now() + 60_000 }] })
  assert.deepEqual(await victim.dht.get('honest-key'), [])
  await stillServes(victim)
})

test('a record altered or forged by a relaying node is refused, and the publisher\'s record stays as signed', async () => {
  await ring[2]!.dht.put('signed-key', 'genuine')
  // The record as a replica hands it out, signature and all.
  const held = await Promise.all(ring.map(async n => {
    const fetch = messageChannel(await openTo(n))
    await fetch.write({ type: 'fetch', keyId: idToHex(chordId('signed-key')) })
    return JSON.parse(new TextDecoder().decode(await fetch.readBytes())).records
  }))
  const genuine = held.flat()[0]
  assert.equal(genuine?.value, 'genuine')
  const victim = ring[1]!
  await refused(victim, { type: 'store', records: [{ ...genuine, value: 'altered', expiresAt: genuine.expiresAt + 1000 }] })
  await refused(victim, { type: 'store', records: [{ ...genuine, expiresAt: genuine.expiresAt + 1000 }] }) // stretching its life
  const mallory = await generateKeyPair('Ed25519')
  const forged = { key: 'signed-key', publisher: ring[2]!.id, value: 'forged', expiresAt: genuine.expiresAt + 1000 }
  await refused(victim, { type: 'store', records: [{ keyId: genuine.keyId, ...forged, signature: await signRecord(mallory, forged) }] })
  assert.deepEqual(await victim.dht.get('signed-key'), [{ publisher: ring[2]!.id, value: 'genuine' }])
  await stillServes(victim)
})

test('a peer claiming to be everyone\'s predecessor is only accepted where its real id falls, and cannot name anyone else', async () => {
  const before = ring.map(n => n.dht.ring().predecessor?.peer)
  const attackerId = chordId(attacker.peerId.toString())
  // The notify names no node: the candidate is the authenticated sender. A "peer" field is refused.
  await refused(ring[0]!, { type: 'notify', addrs: [], peer: ring[1]!.id })
  const accepted: boolean[] = []
  for (const n of ring) {
    const channel = messageChannel(await openTo(n))
    await channel.write({ type: 'notify', addrs: [] })
    accepted.push(JSON.parse(new TextDecoder().decode(await channel.readBytes())).accepted)
  }
  ring.forEach((n, i) => {
    const predecessor = before[i]
    const inArc = predecessor !== undefined && n.dht.table.space.between(attackerId, chordId(predecessor), chordId(n.id))
    assert.equal(accepted[i], inArc, `node ${i}`)
    if (!inArc) assert.equal(n.dht.ring().predecessor?.peer, predecessor)
  })
  // The attacker does not answer check-predecessor's ping, so the ring heals by itself.
  await settled()
})

test('lying answers (nodes whose id is not SHA-1 of their peer id) never enter a routing table', async () => {
  const forged = { peer: ring[1]!.id, id: idToHex(chordId(ring[2]!.id)), addrs: [] }
  let lies = 0
  await attacker.handle(PROTOCOL, async stream => {
    const channel = messageChannel(stream)
    const request = JSON.parse(new TextDecoder().decode(await channel.readBytes()))
    lies++
    if (request.type === 'step') await channel.write({ kind: 'found', successors: [forged] })
    else if (request.type === 'neighbours') await channel.write({ predecessor: forged, successors: [forged] })
    else await channel.write({ pong: true })
    await channel.close()
  })
  // A newcomer whose only contact is the liar: joining through it fails, and nothing forged is kept.
  const newcomer = await startChordNode(NETWORK)
  ring.push(newcomer)
  await newcomer.node.dial(attacker.getMultiaddrs()[0]!)
  await eventually('the newcomer asks the liar', async () => lies, n => n > 0, 10_000)
  await newcomer.dht.maintain() // a whole round after the liar was asked: its join attempt is over
  assert.ok(newcomer.dht.table.knownNodes().every(n => chordId(n.peer) === n.id))
  assert.equal(newcomer.dht.ring().successors.length, 0)
  // Once it meets an honest node, it joins the real ring.
  await newcomer.node.dial(ring[0]!.node.getMultiaddrs()[0]!)
  await eventually('newcomer joined', async () => newcomer.dht.ring().successors.length, n => n > 0, 10_000)
  assert.ok(newcomer.dht.table.knownNodes().every(n => chordId(n.peer) === n.id))
  await attacker.unhandle(PROTOCOL)
})
