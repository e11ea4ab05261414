// Peers behind NATs reach each other through relays: two public Tidepool peers (relay service on, and the
// bootstrap) on a simulated internet, A and B each behind an endpoint-independent NAT, C behind a
// symmetric NAT — all network namespaces this test makes (root only; elsewhere reported skipped).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startPeerProcess, eventually, makeDataDir, type PeerProcess } from '../support/peer-process.ts'
import { makeNatTopology, PUBLIC_PREFIX, skipUnlessNat, type NatTopology } from '../support/nat-topology.ts'

const skip = skipUnlessNat()
const NETWORK = 'reach-lab'
const PORT = 4001

let topology: NatTopology | undefined
const peers: PeerProcess[] = []
let relays: PeerProcess[] = []
let a: PeerProcess, b: PeerProcess, c: PeerProcess

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
const status = async (peer: PeerProcess): Promise<any> => (await peer.api('/api/status')).body
const entryOf = (s: any, peer: PeerProcess): any => s.peers.find((p: any) => p.peerId === peer.ready.peerId)

async function start (netns: string, address: string, args: string[], dataDir?: string): Promise<PeerProcess> {
  const peer = await startPeerProcess({ netns, network: NETWORK, listen: `/ip4/${address}/tcp/${address.startsWith('198.') ? PORT : 0}`, dataDir, args: ['--chain', 'test', '--public-prefix', PUBLIC_PREFIX, ...args] })
  peers.push(peer)
  return peer
}

/**
 * A peer behind a NAT has its /p2p-circuit addresses once it holds reservations on both relays. A refused
 * first try is retried after the keeper's backoff (2 s, doubling), so on a loaded box the second
 * reservation has come more than 20 s after the start (seen at load 24).
 */
async function reserved (peer: PeerProcess, count = 2): Promise<any> {
  return await eventually(`${peer.ready.peerId} holds ${count} relay reservations`, async () => await status(peer), s => s.relays.length >= count, 90_000)
}

/** Files in a namespace are added by path: the peer reads the same disk. */
async function addFile (peer: PeerProcess, bytes: Uint8Array, name: string): Promise<{ cid: string, link: string }> {
  const path = join(await makeDataDir('reach-file'), name)
  await writeFile(path, bytes)
  const res = await peer.api('/api/files', { body: { path } })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  return res.body
}

before(async () => {
  if (skip !== false) return
  topology = makeNatTopology({ homes: ['endpoint-independent', 'endpoint-independent', 'symmetric'] })
  // The relays together, then the homes together (they need the relays' ids): the ready timeout (120 s)
  // holds three peers starting at once on a loaded 2-core box. start() keeps each peer for the teardown
  // as soon as it is up, so one that fails to start leaves none running.
  const started = await Promise.all(topology.publicAddresses.map(async address => await start(topology!.internet, address, [])))
  relays.push(...started)
  const bootstrap = relays.flatMap((r, i) => ['--bootstrap', `/ip4/${topology!.publicAddresses[i]!}/tcp/${PORT}/p2p/${r.ready.peerId}`])
  ;[a, b, c] = await Promise.all(topology.homes.map(async home => await start(home.netns, home.address, bootstrap))) as [PeerProcess, PeerProcess, PeerProcess]
})

after(async () => {
  await Promise.all(peers.map(async p => await p.stop()))
  topology?.remove()
})

test('peers behind NATs hold reservations on both relays and advertise /p2p-circuit addresses', { skip }, async () => {
  for (const peer of [a, b, c]) {
    const s = await reserved(peer)
    assert.deepEqual(new Set(s.relays.map((r: any) => r.peerId)), new Set(relays.map(r => r.ready.peerId)))
    for (const relay of s.relays) assert.ok(relay.addrs.every((addr: string) => addr.includes('/p2p-circuit') && addr.endsWith(`/p2p/${peer.ready.peerId}`)), JSON.stringify(relay))
    assert.ok(s.addrs.some((addr: string) => addr.includes('/p2p-circuit')), 'the circuit addresses are among the peer\'s own')
  }
  for (const relay of relays) assert.deepEqual((await status(relay)).relays, [], 'a public peer needs no relay')
})

test('B downloads a 20 MB file A shares, given only the link: found through the DHT, reached through a relay, then direct after a WebRTC hole punch', { skip }, async () => {
  const bytes = randomBytes(20 * 1024 * 1024)
  const added = await addFile(a, bytes, 'twenty.bin')
  const res = await b.api('/api/files/download', { body: { link: added.link } })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  const done = await eventually('download complete', async () => (await b.api(`/api/files/${added.cid}`)).body, e => e.state === 'complete' || e.state === 'failed', 90_000)
  assert.equal(done.state, 'complete', JSON.stringify(done))
  assert.equal(sha(await readFile(join(b.dataDir, 'files', 'content', added.cid))), sha(bytes))
  // Relayed first: the two reached each other through a relay, the dialling side punched from that
  // connection — B fetching from A, or A first if its DHT work dialled B — and the relayed connection was
  // closed (relayed -> direct). Before the fix the relays ran no STUN (announced addresses lag AutoNAT),
  // ICE had host candidates only, and no punch ever succeeded.
  const punched = new RegExp(`hole punched to (${a.ready.peerId}|${b.ready.peerId}) in \\d+ ms \\(WebRTC, \\S+/p2p-circuit/webrtc/`)
  await eventually('a hole punched between A and B', async () => a.stderr() + b.stderr(), log => punched.test(log), 30_000)
  await eventually('B\'s relayed connection to A closed', async () => b.stderr(), log => new RegExp(`relayed connection to ${a.ready.peerId} through \\S+ closed after`).test(log), 20_000)
  const seen = await eventually('B reaches A directly', async () => entryOf(await status(b), a), p => p?.connection === 'direct', 20_000)
  assert.equal(seen.holePunched, true, JSON.stringify(seen))
})

test('a calendar invite made behind one NAT is joined behind another; offline edits on both converge', { skip }, async () => {
  const created = await a.api('/api/calendars', { body: { name: 'across town' } })
  assert.equal(created.status, 200, JSON.stringify(created.body))
  const calendarId = created.body.id
  const invite: string = created.body.invite
  const members = JSON.parse(Buffer.from(invite.slice('tidepool-calendar:'.length), 'base64url').toString()).peers
  assert.ok(members[0].addrs.some((addr: string) => addr.includes('/p2p-circuit')), `the invite holds A's relay addresses: ${JSON.stringify(members)}`)
  const joined = await b.api('/api/calendars/join', { body: { invite } })
  assert.equal(joined.status, 200, JSON.stringify(joined.body))
  await a.api('/api/network', { body: { online: false } })
  await b.api('/api/network', { body: { online: false } })
  const alternatives = ['2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z']
  assert.equal((await a.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'reserve', title: 'staff', durationMinutes: 60, alternatives } })).status, 200)
  assert.equal((await b.api(`/api/calendars/${calendarId}/writes`, { body: { op: 'reserve', title: 'hiring', durationMinutes: 60, alternatives } })).status, 200)
  await a.api('/api/network', { body: { online: true } })
  await b.api('/api/network', { body: { online: true } })
  await eventually('B syncs with A again', async () => await b.api(`/api/calendars/${calendarId}/sync`, { body: { peerId: a.ready.peerId } }),
    res => res.status === 200 && res.body.peers[0]?.ok === true, 30_000)
  const titles = (view: any): string => JSON.stringify(view.events?.map((e: any) => [e.title, e.start]).sort())
  const view = async (p: PeerProcess): Promise<any> => (await p.api(`/api/calendars/${calendarId}`)).body
  await eventually('both calendars hold both events, alike', async () => [await view(a), await view(b)],
    ([va, vb]) => va.events?.length === 2 && titles(va) === titles(vb), 45_000)
})

test('a block mined behind one NAT reaches the peers behind the others by gossip', { skip }, async () => {
  const before = (await b.api('/api/chain')).body.height
  const started = await a.api('/api/mining', { body: { enabled: true, threads: 1, blocks: 1 } })
  assert.equal(started.status, 200, JSON.stringify(started.body))
  const tip = await eventually('A mined', async () => (await a.api('/api/chain')).body, chain => chain.height > before, 60_000)
  for (const peer of [b, c]) await eventually(`${peer.ready.peerId} has A's block`, async () => (await peer.api('/api/chain')).body, chain => chain.height >= tip.height, 30_000)
})

test('behind a symmetric NAT: calendar sync, ledger gossip and a small file go through a relay, and the API says relayed', { skip }, async () => {
  const bytes = randomBytes(256 * 1024)
  const added = await addFile(c, bytes, 'small.bin')
  assert.equal((await a.api('/api/files/download', { body: { link: added.link } })).status, 200)
  const done = await eventually('small file', async () => (await a.api(`/api/files/${added.cid}`)).body, e => e.state === 'complete' || e.state === 'failed', 30_000)
  assert.equal(done.state, 'complete', JSON.stringify(done))
  assert.equal(sha(await readFile(join(a.dataDir, 'files', 'content', added.cid))), sha(bytes))
  const seen = entryOf(await status(a), c)
  assert.equal(seen.connection, 'relayed', JSON.stringify(seen))
  await eventually('the punch toward C was tried and failed', async () => a.stderr() + c.stderr(), log => /hole punch to \S+ failed after/.test(log), 30_000)
  assert.equal(entryOf(await status(a), c).connection, 'relayed')
  assert.ok(relays.some(r => r.ready.peerId === seen.relay), `through one of our relays: ${JSON.stringify(seen)}`)

  const created = await c.api('/api/calendars', { body: { name: 'symmetric' } })
  assert.equal((await a.api('/api/calendars/join', { body: { invite: created.body.invite } })).status, 200)
  assert.equal((await c.api(`/api/calendars/${created.body.id}/writes`, { body: { op: 'reserve', title: 'from C', durationMinutes: 30, alternatives: ['2026-11-24T09:00:00Z'] } })).status, 200)
  await eventually('A sees C\'s event', async () => (await a.api(`/api/calendars/${created.body.id}`)).body, v => v.events?.some((e: any) => e.title === 'from C'), 30_000)

  const height = (await a.api('/api/chain')).body.height
  assert.equal((await c.api('/api/mining', { body: { enabled: true, threads: 1, blocks: 1 } })).status, 200)
  await eventually('C\'s block reaches A', async () => (await a.api('/api/chain')).body, chain => chain.height > height, 60_000)
})

test('one relay dies: the peers behind NATs stay reachable through the other within 30 s', { skip }, async () => {
  const [dead, alive] = relays as [PeerProcess, PeerProcess]
  await dead.kill()
  const started = Date.now()
  for (const peer of [a, b]) {
    await eventually(`${peer.ready.peerId} no longer advertises the dead relay`, async () => await status(peer),
      s => s.relays.length >= 1 && s.relays.every((r: any) => r.peerId === alive.ready.peerId), 30_000)
  }
  // B reaches A afresh, through the surviving relay only.
  const viaAlive = (await status(a)).relays[0].addrs[0]
  await b.api('/api/network', { body: { online: false } })
  await b.api('/api/network', { body: { online: true } })
  const dialled = await b.api('/api/peers/dial', { body: { addr: viaAlive } })
  assert.equal(dialled.status, 200, JSON.stringify(dialled.body))
  assert.ok(Date.now() - started < 30_000, `reachable again after ${Date.now() - started} ms`)
})
