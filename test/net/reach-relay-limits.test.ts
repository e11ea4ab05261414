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
  a = await home(0)
  b = await home(1)
  await Promise.all([circuitOf(a), circuitOf(b)])
})

after(async () => {
  await Promise.all(peers.map(async p => await p.stop()))
  topology?.remove()
})

test('reservations: a third peer is refused, with the reason in its log; a peer of another network gets none', { skip }, async () => {
  c = await home(2)
  await eventually('C told why', async () => c.stderr(), log => /refused a reservation: .*RESERVATION_REFUSED/.test(log), 20_000)
  assert.deepEqual((await status(c)).relays, [])
  const stranger = await home(3, 'reach-elsewhere')
  await eventually('the relay turned the stranger away', async () => relay.stderr(), log => log.includes(`hanging up on ${stranger.ready.peerId}`), 20_000)
  assert.deepEqual((await status(stranger)).relays, [])
  assert.equal((await status(a)).relays.length, 1, 'the members keep theirs')
})

test('connections: while one relayed connection is open a second is refused; time and byte limits cut them; the relay keeps serving', { skip }, async () => {
  const toA = await circuitOf(a)
  const first = await b.api('/api/peers/dial', { body: { addr: toA } })
  assert.equal(first.status, 200, JSON.stringify(first.body))
  const second = await c.api('/api/peers/dial', { body: { addr: toA } })
  assert.equal(second.status, 502)
  assert.match(second.body.error.message, /PERMISSION_DENIED/)

  // The open one is cut at --relay-max-seconds.
  const cut = await eventually('B\'s relayed connection cut by time', async () => b.stderr(),
    log => new RegExp(`relayed connection to ${a.ready.peerId} through \\S+ closed after`).test(log), (MAX_SECONDS + 10) * 1000)
  const age = Number(new RegExp(`relayed connection to ${a.ready.peerId} through \\S+ closed after ([\\d.]+) s`).exec(cut)![1])
  assert.ok(age >= MAX_SECONDS - 0.5 && age < MAX_SECONDS + 5, `cut after ${age} s`)

  // A transfer over --relay-max-bytes is cut off too, and the relay still serves afterwards.
  const path = join(await makeDataDir('limits-file'), 'three.bin')
  await writeFile(path, randomBytes(3 * MAX_BYTES))
  const added = (await a.api('/api/files', { body: { path } })).body
  const closedBefore = (b.stderr().match(/relayed connection to \S+ through \S+ closed after/g) ?? []).length
  assert.equal((await b.api('/api/files/download', { body: { link: added.link } })).status, 200)
  // Cut before its time is up: by bytes (the download then goes on over the next relayed connection).
  const ages = (text: string): number[] => [...text.matchAll(/relayed connection to \S+ through \S+ closed after ([\d.]+) s/g)].slice(closedBefore).map(m => Number(m[1]))
  await eventually('the transfer cut by bytes', async () => ages(b.stderr()), list => list.some(s => s < MAX_SECONDS - 2), 40_000)
  const progress = (await b.api(`/api/files/${added.cid}`)).body
  assert.ok(progress.state !== 'complete' || ages(b.stderr()).filter(s => s < MAX_SECONDS - 2).length >= 2, `3 MiB do not pass one ${MAX_BYTES}-byte connection: ${JSON.stringify(progress)}`)
  await b.api(`/api/files/${added.cid}`, { method: 'DELETE' })
  // The relay still serves: B reaches A through it again (once any circuit still open has ended).
  const again = await eventually('the relay serves B again', async () => await b.api('/api/peers/dial', { body: { addr: toA } }), res => res.status === 200, (MAX_SECONDS + 10) * 1000)
  assert.equal(again.body.connection, 'relayed', JSON.stringify(again.body))
})
