// The HolePuncher's bookkeeping, without a network: a fake node (events, connections, a dial that records)
// and node:test's mock timers.
import { test, mock } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection, PeerId } from '@libp2p/interface'
import { HolePuncher, PUNCH_TIMEOUT_MS, SIGNALING_PROTOCOL } from '../../p2p/reach/hole-punch.ts'
import type { TidepoolNode } from '../../p2p/node/create-node.ts'

const RELAY = '12D3KooWC7nzvQaXPzoksitHQ6n9LXDfp2Lw6ymJaniskeamiPzA'

async function somePeer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

interface FakeConnection { connection: Connection, aborted: () => Error | undefined, closed: () => boolean }

function fakeConnection (id: string, peer: PeerId, addr: string, direction: 'inbound' | 'outbound'): FakeConnection {
  let aborted: Error | undefined
  let closed = false
  const connection = {
    id,
    remotePeer: peer,
    remoteAddr: multiaddr(addr),
    direction,
    direct: !addr.includes('/p2p-circuit/p2p/'),
    status: 'open',
    abort: (err: Error) => { aborted = err },
    close: async () => { closed = true }
  } as unknown as Connection
  return { connection, aborted: () => aborted, closed: () => closed }
}

function fakeNode (connections: Connection[]): { node: TidepoolNode, dials: string[], emit: (type: string, detail: unknown) => void } {
  const events = new EventTarget()
  const dials: string[] = []
  const node = {
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    getConnections: (peer: PeerId) => connections.filter(c => c.remotePeer.equals(peer)),
    services: { reachTransports: { dial: async (addr: unknown) => { dials.push(String(addr)); return await new Promise(() => {}) } } }
  } as unknown as TidepoolNode
  return { node, dials, emit: (type, detail) => events.dispatchEvent(new CustomEvent(type, { detail })) }
}

test('an inbound WebRTC connection that never identifies is aborted at the punch timeout; one that identifies is kept', async () => {
  mock.timers.enable({ apis: ['setTimeout'] })
  try {
    const peer = await somePeer()
    const zombie = fakeConnection('z', peer, `/webrtc/p2p/${peer.toString()}`, 'inbound')
    const real = fakeConnection('r', peer, `/webrtc/p2p/${peer.toString()}`, 'inbound')
    const { node, emit } = fakeNode([zombie.connection, real.connection])
    const lines: string[] = []
    const puncher = new HolePuncher(node, line => lines.push(line))
    puncher.start()
    emit('connection:open', zombie.connection)
    emit('connection:open', real.connection)
    emit('peer:identify', { peerId: peer, protocols: [SIGNALING_PROTOCOL], connection: real.connection })
    mock.timers.tick(PUNCH_TIMEOUT_MS - 1)
    assert.equal(zombie.aborted(), undefined, 'not before the timeout')
    mock.timers.tick(1)
    assert.match(zombie.aborted()?.message ?? '', /never connected/)
    assert.equal(real.aborted(), undefined)
    assert.match(lines.join('\n'), new RegExp(`hole punch from ${peer.toString()} never connected`))
    puncher.stop()
  } finally {
    mock.timers.reset()
  }
})

test('a relayed connection we dialled is punched from; one identified while a direct connection is open is closed instead', async () => {
  const peer = await somePeer()
  const circuit = `/ip4/198.51.100.2/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${peer.toString()}`
  const first = fakeConnection('1', peer, circuit, 'outbound')
  const connections = [first.connection]
  const { node, dials, emit } = fakeNode(connections)
  const puncher = new HolePuncher(node, () => {})
  puncher.start()
  emit('peer:identify', { peerId: peer, protocols: [SIGNALING_PROTOCOL], connection: first.connection })
  assert.deepEqual(dials, [circuit.replace('/p2p-circuit/p2p/', '/p2p-circuit/webrtc/p2p/')], 'the dialling side punches over the relay')

  const other = await somePeer()
  const direct = fakeConnection('d', other, `/webrtc/p2p/${other.toString()}`, 'outbound')
  const late = fakeConnection('2', other, `/ip4/198.51.100.2/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${other.toString()}`, 'outbound')
  connections.push(direct.connection, late.connection)
  emit('peer:identify', { peerId: other, protocols: [SIGNALING_PROTOCOL], connection: late.connection })
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(late.closed(), true, 'the relayed connection is closed')
  assert.equal(dials.length, 1, 'no second punch')
  puncher.stop()
})
