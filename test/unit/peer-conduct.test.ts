// The shared conduct score: faults on any serving side add up to one ban that hangs the peer up (and again
// when it reconnects); a closed stream is no fault; a flood of faults costs one log line a minute per peer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { FAULT_LOG_WINDOW_MS, PeerConduct, type ConductNode } from '../../p2p/node/peer-conduct.ts'
import { PeerScores } from '../../p2p/node/peer-score.ts'
import { WireError } from '../../p2p/wire/index.ts'

function fakeNode (): ConductNode & { hungUp: string[], connect: (peer: PeerId) => void } {
  let listener: ((event: CustomEvent<PeerId>) => void) | undefined
  const hungUp: string[] = []
  return {
    hungUp,
    hangUp: async peer => { hungUp.push(peer.toString()) },
    addEventListener: (_type, l) => { listener = l },
    removeEventListener: () => { listener = undefined },
    connect: peer => { listener?.(new CustomEvent('peer:connect', { detail: peer })) }
  }
}

const somePeer = async (): Promise<PeerId> => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

test('faults on different protocols add up to one ban; the peer is hung up on, and again when it reconnects', async () => {
  const node = fakeNode()
  const lines: string[] = []
  const conduct = new PeerConduct(node, new PeerScores(() => 0), line => { lines.push(line) }, () => 0)
  conduct.start()
  const peer = await somePeer()
  conduct.streamFailed(peer, '/files', new WireError('malformed', 'not JSON'))
  conduct.streamFailed(peer, '/calendar-sync', new WireError('too-large', 'message over 1 MiB'))
  conduct.streamFailed(peer, '/ledger-sync', new WireError('invalid', 'type: bad'))
  conduct.streamFailed(peer, '/chord', new WireError('timeout', 'stalled'))
  conduct.streamFailed(peer, '/chord', new WireError('closed', 'the asker left'))
  conduct.streamFailed(peer, '/files', new Error('our disk failed'))
  assert.equal(conduct.scores.score(peer.toString()), 70)
  assert.equal(conduct.isBanned(peer), false)
  assert.equal(await conduct.penalize(peer, 30, 'ledger rule bad-signature'), true)
  assert.equal(conduct.isBanned(peer), true)
  assert.deepEqual(node.hungUp, [peer.toString()])
  node.connect(peer)
  await new Promise(resolve => setImmediate(resolve))
  assert.deepEqual(node.hungUp, [peer.toString(), peer.toString()])
  node.connect(await somePeer())
  assert.equal(node.hungUp.length, 2, 'others are left alone')
  conduct.stop()
})

test('a flood of failed streams from one peer is one line a minute, then a summary', async () => {
  let clock = 0
  const lines: string[] = []
  const conduct = new PeerConduct(fakeNode(), new PeerScores(() => clock), line => { lines.push(line) }, () => clock)
  const flooder = peerIdFromString('12D3KooWGzh6p5h5Y4rG8yQY3n8Jb6nDq4N7hXk5Ju7mXwUJbEJW')
  const other = peerIdFromString('12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK')
  // Closed streams: no fault and no line, however many.
  for (let i = 0; i < 1000; i++) conduct.streamFailed(flooder, '/files', new WireError('closed', 'eof'))
  assert.deepEqual(lines, [])
  // Faults that score nothing (ours, not theirs) are still only logged once a minute.
  for (let i = 0; i < 600; i++) conduct.streamFailed(flooder, '/files', new Error('disk full'))
  conduct.streamFailed(other, '/files', new Error('disk full'))
  assert.equal(lines.length, 2, lines.join('\n'))
  clock += FAULT_LOG_WINDOW_MS
  conduct.streamFailed(flooder, '/files', new Error('disk full'))
  assert.equal(lines.length, 4, lines.join('\n'))
  assert.match(lines[2]!, /599 more failed streams from 12D3KooWGzh6/)
  conduct.stop()
  assert.equal(lines.length, 4, 'nothing left to sum up')
})
