// Issue 17: reachability (AutoNAT v2) and port mapping (UPnP, test 6), on a simulated internet made of
// network namespaces (test/support/nat-router.ts): a peer on a public address, a home behind a
// masquerading NAT router, and the same router running Debian's miniupnpd.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startPeerProcess, eventually, type PeerProcess } from '../support/peer-process.ts'
import { INTERNET_PREFIX, makeNatRouter, natRouterUnavailableReason, type NatRouter } from '../support/nat-router.ts'

const unavailable = natRouterUnavailableReason()
const skip = unavailable === undefined ? false : `skipped: needs root and network namespaces (${unavailable})`
const NETWORK = 'nat-lab'
const PUBLIC = ['--public-prefix', INTERNET_PREFIX]

/** Peers and the router, torn down whatever happens. */
async function inTopology (upnp: boolean, body: (router: NatRouter, started: PeerProcess[]) => Promise<void>): Promise<void> {
  const router = await makeNatRouter({ upnp })
  const started: PeerProcess[] = []
  try {
    await body(router, started)
  } finally {
    await Promise.all(started.map(async p => await p.stop()))
    await router.remove()
  }
}

/**
 * A peer on the internet, on a fixed port: libp2p announces a public address only once AutoNAT has
 * confirmed it, so its ready line can't tell others where to find it yet.
 */
async function startPublicPeer (router: NatRouter, started: PeerProcess[], port: number): Promise<PeerProcess & { addr: string }> {
  const listen = `/ip4/${router.internetAddress}/tcp/${port}`
  const peer = await startPeerProcess({ netns: router.internet, network: NETWORK, listen, args: PUBLIC })
  started.push(peer)
  return { ...peer, addr: `${listen}/p2p/${peer.ready.peerId}` }
}

async function startHomePeer (router: NatRouter, started: PeerProcess[], bootstrap: string, args = PUBLIC): Promise<PeerProcess> {
  const peer = await startPeerProcess({ netns: router.home, network: NETWORK, listen: `/ip4/${router.homeAddress}/tcp/0`, args: [...args, '--bootstrap', bootstrap] })
  started.push(peer)
  return peer
}

const status = async (peer: PeerProcess): Promise<any> => (await peer.api('/api/status')).body

test('AutoNAT: a peer on a public address is confirmed public; a peer behind a masquerading NAT is private', { skip }, async () => {
  await inTopology(false, async (router, started) => {
    const server = await startPublicPeer(router, started, 4001)
    assert.equal((await status(server)).reachability, 'unknown', 'a public listener awaits a dial-back')
    const home = await startHomePeer(router, started, server.addr)
    const confirmed = await eventually('the public peer confirmed by a dial-back', async () => await status(server), s => s.reachability === 'public', 60_000)
    assert.deepEqual(confirmed.publicAddrs, [`/ip4/${router.internetAddress}/tcp/4001`])
    const behindNat = await status(home)
    assert.equal(behindNat.peers.find((p: any) => p.peerId === server.ready.peerId)?.connected, true)
    assert.equal(behindNat.reachability, 'private')
    assert.deepEqual(behindNat.publicAddrs, [])
  })
})

test('UPnP (issue 17, test 6): miniupnpd maps a port, the peer becomes public and dialable from outside; the mapping goes when it stops', { skip }, async () => {
  await inTopology(true, async (router, started) => {
    const server = await startPublicPeer(router, started, 4001)
    const home = await startHomePeer(router, started, server.addr)
    // Beside it: one that was told not to map, and one that (without --public-prefix) takes the router's
    // documentation-range address for a second NAT — a failure it must log once, not on every retry.
    const unmapped = await startHomePeer(router, started, server.addr, [...PUBLIC, '--no-upnp'])
    const doubleNat = await startHomePeer(router, started, server.addr, [])
    const reached = await eventually('the home peer confirmed public through its mapped port', async () => await status(home), s => s.reachability === 'public', 90_000)
    const mapped = reached.publicAddrs.find((a: string) => a.startsWith(`/ip4/${router.wanAddress}/tcp/`))
    assert.ok(mapped, `a mapped address on the router's WAN side in ${JSON.stringify(reached.publicAddrs)}`)
    const homePort = home.ready.addrs[0]!.split('/')[4]
    assert.deepEqual(router.forwards().map(rule => rule.split(' to ')[1]), [`${router.homeAddress}:${homePort}`], 'one forward, to the peer that asked')
    assert.equal((await status(unmapped)).reachability, 'private')
    assert.equal((await status(doubleNat)).reachability, 'private')
    const failures = (): string[] => doubleNat.stderr().split('\n').filter(line => line.includes('port mapping (UPnP)'))
    await eventually('the double NAT reported', async () => failures(), lines => lines.length > 0, 30_000)
    await new Promise(resolve => setTimeout(resolve, 10_000))
    assert.equal(failures().length, 1, failures().join('\n'))
    assert.match(failures()[0]!, /198\.51\.100\.1 is private/)

    // A newcomer on the internet that never heard of the home peer dials the mapped address directly.
    const stranger = await startPublicPeer(router, started, 4002)
    const dialled = await stranger.api('/api/peers/dial', { body: { addr: `${mapped as string}/p2p/${home.ready.peerId}` } })
    assert.equal(dialled.status, 200, JSON.stringify(dialled.body))
    assert.equal(dialled.body.peerId, home.ready.peerId)

    assert.deepEqual(await home.stop(), { code: 0, signal: null })
    assert.deepEqual(router.forwards(), [], 'the forward is removed when the peer stops')
  })
})
