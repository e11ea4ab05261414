// A relay's limits hold against peers that exceed them, and it keeps serving the others: one public relay
// with small limits, peers behind symmetric NATs (no hole punch: everything goes through the relay), and
// a peer of another Tidepool network. Network namespaces made by the test (root only; else skipped).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startPeerProcess, eventually, makeDataDir, type PeerProcess } from '../support/peer-process.ts'
import { makeNatTopology, PUBLIC_PREFIX, skipUnlessNat, type NatTopology } from '../support/nat-topology.ts'

const skip = skipUnlessNat()
const NETWORK = 'reach-limits'
const MAX_BYTES = 1024 * 1024
const MAX_SECONDS = 12

let topology: NatTopology | undefined
const peers: PeerProcess[] = []
let relay: PeerProcess, a: PeerProcess, b: PeerProcess, c: PeerProcess
let bootstrap: string[]

const status = async (peer: PeerProcess): Promise<any> => (await peer.api('/api/status')).body

async function home (index: number, network = NETWORK): Promise<PeerProcess> {
  const { netns, address } = topology!.homes[index]!
  const peer = await startPeerProcess({ netns, network, listen: `/ip4/${address}/tcp/0`, args: ['--public-prefix', PUBLIC_PREFIX, ...bootstrap] })
  peers.push(peer)
  return peer
}

const circuitOf = async (peer: PeerProcess): Promise<string> =>
  (await eventually(`${peer.ready.peerId} reserved`, async () => await status(peer), s => s.relays.length === 1, 20_000)).relays[0].addrs.find((addr: string) => !addr.includes('/webrtc'))

before(async () => {
  if (skip !== false) return
  topology = makeNatTopology({ publicPeers: 1, homes: ['symmetric', 'symmetric', 'symmetric', 'endpoint-independent'] })
  relay = await startPeerProcess({
    netns: topology.internet,
    network: NETWORK,
    listen: `/ip4/${topology.publicAddresses[0]!}/tcp/4001`,
    args: ['--public-prefix', PUBLIC_PREFIX, '--relay-max-reservations', '2', '--relay-max-connections', '1', '--relay-max-bytes', String(MAX_BYTES), '--relay-max-seconds', String(MAX_SECONDS)]
  })
  peers.push(relay)
  bootstrap = ['--bootstrap', `/ip4/${topology.publicAddresses[0]!}/tcp/4001/p2p/${relay.ready.peerId}`]
  ;[a, b] = await Promise.all([home(0), home(1)])
  await Promise.all([circuitOf(a), circuitOf(b)])
})

after(async () => {
  await Promise.all(peers.map(async p => await p.stop()))
  topology?.remove()
})

test('reservations: a third peer is refused, with the reason in its log; a peer of another network gets none', { skip }, async () => {
  // A and B hold both reservations already, so C (and the stranger beside it) can start together.
  let stranger: PeerProcess
  ;[c, stranger] = await Promise.all([home(2), home(3, 'reach-elsewhere')])
  await eventually('C told why', async () => c.stderr(), log => /refused a reservation: .*RESERVATION_REFUSED/.test(log), 20_000)
  assert.deepEqual((await status(c)).relays, [])
  await eventually('the relay turned the stranger away', async () => relay.stderr(), log => log.includes(`hanging up on ${stranger.ready.peerId}`), 20_000)
  assert.deepEqual((await status(stranger)).relays, [])
  assert.equal((await status(a)).relays.length, 1, 'the members keep theirs')
})

test('connections: while one relayed connection is open a second is refused; time and byte limits cut them; the relay keeps serving', { skip }, async () => {
  // Every step waits on what the peers and the relay say happened, never on how long it took: on a busy
  // box a dial can take longer than the relay's time limit, and the relay's cut comes when its timer runs.
  const toA = await circuitOf(a)
  const relayLog = (from: number): string => relay.stderr().slice(from)
  /**
   * Relayed connections to A (or to any of `to`) the relay saw end; each line names the limit that cut
   * it, if one did. The relay names a circuit by its destination, the peer that did not dial it.
   */
  const cuts = (log: string, reason: RegExp, to: PeerProcess[] = [a]): number => [...log.matchAll(new RegExp(`relay: relayed connection to (?:${to.map(p => p.ready.peerId).join('|')}) ended after [\\d.]+ s(?:: (.*))?`, 'g'))].filter(m => reason.test(m[1] ?? '')).length
  const dialA = async (peer: PeerProcess): Promise<any> => await peer.api('/api/peers/dial', { body: { addr: toA } })
  // A punch between these symmetric NATs fails, and when the relay's 12 s limit cuts the signalling
  // mid-punch, @libp2p/webrtc leaves the answering side an inbound WebRTC connection that never connected
  // for up to the punch timeout (p2p/reach/README.md); a dial meanwhile returns it as "direct" without
  // touching the relay. Only a relayed answer says anything about the relay.
  const relayedOk = (res: any): boolean => res.status === 200 && res.body.connection === 'relayed'

  // The only slot goes to B (retried if another circuit to A holds it at that moment); C, dialling while
  // B's circuit is open, is refused. If B's circuit ended before C's dial arrived, the relay's log says so
  // and the pair is tried again: a refusal can only be checked against a circuit still open.
  const start = relay.stderr().length
  const refused = await eventually('C refused while B\'s relayed connection to A is open', async () => {
    const mark = relay.stderr().length
    await eventually('B reaches A through the relay', async () => await dialA(b), relayedOk, 120_000)
    const second = await dialA(c)
    if (second.status !== 200) return second
    // Through the relay: only once B's circuit had ended. Else C found an unproven WebRTC connection to A
    // (see below). Either way C's connections are dropped and the pair is tried again.
    if (second.body.connection === 'relayed') assert.ok(cuts(relayLog(mark), /^/) > 0, 'the relay let a second relayed connection through while the first was open')
    await c.api('/api/network', { body: { online: false } })
    await c.api('/api/network', { body: { online: true } })
    return undefined
  }, res => res !== undefined, 300_000)
  assert.equal(refused.status, 502, JSON.stringify(refused.body))
  assert.match(refused.body.error.message, /PERMISSION_DENIED/)
  await eventually('the relay logged the refusal', async () => relay.stderr(), log => new RegExp(`relay: refused to relay ${c.ready.peerId} to ${a.ready.peerId}: 1 relayed connections open, the limit`).test(log))

  // The open one is cut at --relay-max-seconds: the relay names the limit, and B sees its connection end.
  await eventually('a relayed connection to A cut by time', async () => relayLog(start), log => cuts(log, new RegExp(`DurationLimitError: duration limit of ${MAX_SECONDS * 1000} ms exceeded`)) > 0, 300_000)
  await eventually('B\'s relayed connection to A ended', async () => b.stderr(), log => new RegExp(`relayed connection to ${a.ready.peerId} through \\S+ closed after`).test(log), 60_000)

  // A transfer over --relay-max-bytes is cut off too (the download then goes on over the next relayed
  // connection, budget by budget), and the relay still serves afterwards.
  const path = join(await makeDataDir('limits-file'), 'three.bin')
  await writeFile(path, randomBytes(3 * MAX_BYTES))
  const added = (await a.api('/api/files', { body: { path } })).body
  const mark = relay.stderr().length
  assert.equal((await b.api('/api/files/download', { body: { link: added.link } })).status, 200)
  const byBytes = new RegExp(`TransferLimitError: data limit of ${MAX_BYTES} bytes exceeded`)
  // The bytes flow over whichever relayed connection A and B hold: B's to A, or one A opened to B (a
  // net run failed waiting for a cut of a connection to A while the relay had cut A's to B).
  await eventually('the transfer cut by bytes', async () => relayLog(mark), log => cuts(log, byBytes, [a, b]) > 0, 300_000)
  const progress = (await b.api(`/api/files/${added.cid}`)).body
  // 3 MiB need at least three budgets of 1 MiB: a completed download means at least two cuts by a limit.
  assert.ok(progress.state !== 'complete' || cuts(relayLog(mark), /LimitError/, [a, b]) >= 2, `3 MiB do not pass one ${MAX_BYTES}-byte connection: ${JSON.stringify(progress)}`)
  await b.api(`/api/files/${added.cid}`, { method: 'DELETE' })
  // The relay still serves: B reaches A through it again (once any circuit still open has ended).
  await eventually('the relay serves B again', async () => await dialA(b), relayedOk, 300_000)
})
