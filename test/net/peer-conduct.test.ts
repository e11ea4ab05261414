// One score for a peer across every protocol we serve: garbage to files, calendar sync and ledger sync
// adds up to a ban; the sender is disconnected, hung up on when it redials, also after our restart (the ban
// is on disk); an honest peer is served throughout; the log gets a handful of lines, not one per stream.
// Chord's serving side scores the same way, and so does libp2p's Kademlia (watched from outside it).
// Real peers in this process, on 127.0.0.1.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startInProcess, callApi } from '../support/in-process.ts'
import { eventually } from '../support/peer-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'
import type { Logger } from '../../p2p/logger.ts'
import { filesProtocol } from '../../p2p/files/protocol.ts'
import { calendarSyncProtocol } from '../../p2p/calendar/sync/protocol.ts'
import { syncProtocol } from '../../p2p/ledger/sync/protocol.ts'
import { chordProtocol, kademliaProtocol } from '../../p2p/node/network-name.ts'
import { FAULT_SCORES } from '../../p2p/node/peer-conduct.ts'
import { MAX_LOOP_BLOCK_MS, watchLoopDelay } from '../support/loop-delay.ts'

const running: RunningTidepool[] = []
after(async () => { await Promise.all(running.map(async r => await r.stop().catch(() => {}))) })

function capturing (): Logger & { lines: string[] } {
  const lines: string[] = []
  return { lines, info: line => { lines.push(line) }, error: line => { lines.push(line) }, close: async () => {} }
}

async function start (args: string[], dataDir?: string, logger?: Logger): Promise<RunningTidepool> {
  const peer = await startInProcess(['--listen', '/ip4/127.0.0.1/tcp/0', ...args], dataDir, logger)
  running.push(peer)
  return peer
}

/** Opens `protocol` on `victim` and sends raw bytes; resolves once the victim has ended the stream. */
async function garbage (from: RunningTidepool, victim: RunningTidepool, protocol: string, bytes: Uint8Array): Promise<void> {
  const stream = await from.peer.node.dialProtocol(victim.peer.node.peerId, protocol)
  stream.send(bytes)
  await eventually('stream ended by the victim', async () => stream.status, status => status !== 'open', 10_000)
}

const NOT_JSON = Uint8Array.of(3, 0x7b, 0x7b, 0x7b) // the probe's `03 7b 7b 7b`
const HUGE_CLAIM = Uint8Array.of(0xff, 0xff, 0xff, 0x7f) // a length prefix of 256 MiB

test('garbage to files, calendar sync and ledger sync adds up to one ban that holds across a restart', { timeout: 120_000 }, async () => {
  const network = 'test-conduct'
  const log = capturing()
  const victim = await start(['--network', network, '--chain', 'test'], undefined, log)
  const attacker = await start(['--network', network, '--chain', 'test'])
  const honest = await start(['--network', network, '--chain', 'test'])
  await attacker.peer.dial(victim.ready.addrs[0]!)
  const id = attacker.ready.peerId
  const protocols = [filesProtocol(network), calendarSyncProtocol(network), syncProtocol(network, 'test')]
  const loop = watchLoopDelay()
  // Four faults on three protocols: each counts on the one score.
  await garbage(attacker, victim, protocols[0]!, NOT_JSON)
  await garbage(attacker, victim, protocols[1]!, HUGE_CLAIM)
  await garbage(attacker, victim, protocols[2]!, NOT_JSON)
  await garbage(attacker, victim, protocols[0]!, HUGE_CLAIM)
  assert.equal(victim.peer.conduct.scores.score(id), 4 * FAULT_SCORES.malformed)
  assert.equal(victim.peer.conduct.isBanned(id), false)
  // The fifth: banned and disconnected.
  await garbage(attacker, victim, protocols[1]!, NOT_JSON)
  await eventually('attacker banned and disconnected', async () => victim.peer.node.getConnections(attacker.peer.node.peerId).length, n => n === 0 && victim.peer.conduct.isBanned(id), 10_000)
  const { blockMs } = loop.stop()
  assert.ok(blockMs < MAX_LOOP_BLOCK_MS, `garbage blocked the event loop ${blockMs.toFixed(0)} ms`)
  const about = log.lines.filter(l => l.includes(id))
  assert.ok(about.length <= 2, `one fault line and one ban line, not one per stream:\n${about.join('\n')}`)

  // An honest peer is served all along.
  assert.equal((await callApi(honest, '/api/peers/dial', { addr: victim.ready.addrs[0] })).status, 200)

  // Redialing gets it hung up on again; so does redialing after the victim restarts.
  const hungUp = async (): Promise<void> => {
    await attacker.peer.node.dial(victim.peer.node.peerId).catch(() => {})
    await eventually('attacker hung up on', async () => victim.peer.node.getConnections(attacker.peer.node.peerId).length, n => n === 0, 10_000)
  }
  await hungUp()
  await victim.stop()
  running.splice(running.indexOf(victim), 1)
  const again = await start(['--network', network, '--chain', 'test', '--listen', victim.ready.addrs[0]!.replace(/\/p2p\/.*$/, '')], victim.peer.dataDir)
  assert.equal(again.peer.conduct.isBanned(id), true, 'the ban was kept on disk')
  await attacker.peer.node.dial(again.peer.node.peerId).catch(() => {})
  await eventually('attacker hung up on after the restart', async () => again.peer.node.getConnections(attacker.peer.node.peerId).length, n => n === 0, 10_000)
})

test('Chord\'s serving side scores a malformed request too', { timeout: 60_000 }, async () => {
  const network = 'test-conduct-chord'
  const victim = await start(['--network', network, '--dht', 'chord'])
  const attacker = await start(['--network', network, '--dht', 'chord', '--bootstrap', victim.ready.addrs[0]!])
  await eventually('connected', async () => victim.peer.node.getConnections(attacker.peer.node.peerId).length, n => n > 0, 10_000)
  const before = victim.peer.conduct.scores.score(attacker.ready.peerId)
  await garbage(attacker, victim, chordProtocol(network), NOT_JSON)
  await eventually('scored', async () => victim.peer.conduct.scores.score(attacker.ready.peerId), score => score === before + FAULT_SCORES.malformed, 5000)
})

test('Kademlia\'s serving side (libp2p\'s) scores undecodable frames too, and honest queries cost nothing', { timeout: 60_000 }, async () => {
  const network = 'test-conduct-kad'
  const victim = await start(['--network', network])
  const attacker = await start(['--network', network, '--bootstrap', victim.ready.addrs[0]!])
  await eventually('connected', async () => victim.peer.node.getConnections(attacker.peer.node.peerId).length, n => n > 0, 10_000)
  // Real Kademlia traffic from the attacker first: a provide and a lookup over the victim.
  assert.equal((await callApi(attacker, '/api/dht/provide', { key: 'honest' })).status, 200)
  assert.equal((await callApi(attacker, '/api/dht/providers?key=honest')).status, 200)
  assert.equal(victim.peer.conduct.scores.score(attacker.ready.peerId), 0, 'honest Kademlia streams are no fault')
  await garbage(attacker, victim, kademliaProtocol(network), NOT_JSON)
  await eventually('scored', async () => victim.peer.conduct.scores.score(attacker.ready.peerId), score => score === FAULT_SCORES.malformed, 5000)
})
