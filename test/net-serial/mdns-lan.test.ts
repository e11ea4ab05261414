// Laptops on a LAN with no internet and no bootstrap address find each other by mDNS: on a switch with
// no router (no default route, no multicast route), with a router, and with an interface that refuses
// to send. The LANs are network namespaces this test makes (root only); elsewhere it is reported skipped.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { startPeerProcess, eventually, type PeerProcess } from '../support/peer-process.ts'
import { LAN_SKIP, ip, makeLan, type Lan } from '../support/netns.ts'

/** The target: connected within 2 s of both being up (the measured figure is printed against it). */
const FIND_TARGET_MS = 2000
/**
 * What is asserted: the target with room for a loaded 2-core box, where the figure also holds the API
 * polls through a helper in each namespace. Still well short of the 8.4-8.8 s (or never) it was before.
 */
const FIND_BOUND_MS = 5000

async function startOnLan (lan: Lan, network: string, peers: PeerProcess[]): Promise<PeerProcess[]> {
  // Both start together; "both up" is when the later one printed its ready line.
  const started = await Promise.all(lan.hosts.map(async host => await startPeerProcess({ netns: host.netns, mdns: true, network, listen: `/ip4/${host.address}/tcp/0` })))
  peers.push(...started)
  return started
}

/**
 * From the peers' own logs: milliseconds from the later one's ready line to the first connection to a
 * discovered peer — the system's own time, without the API polls of timeToConnect. Negative when they
 * connected while it was still starting (discovery is followed from before the node starts).
 */
function loggedTimeToConnect (a: PeerProcess, b: PeerProcess): number {
  const at = (peer: PeerProcess, pattern: RegExp): number[] => peer.stderr().split('\n').filter(l => pattern.test(l)).map(l => Date.parse(l.slice(0, 24)))
  const up = Math.max(...[a, b].map(p => at(p, / on network "/)[0] ?? NaN))
  const connected = Math.min(...[a, b].flatMap(p => at(p, /connected to discovered peer/)))
  return connected - up
}

/** Milliseconds from now until each of `a` and `b` lists the other as connected. */
async function timeToConnect (a: PeerProcess, b: PeerProcess, timeoutMs: number): Promise<number> {
  const start = Date.now()
  const connectedTo = (peer: PeerProcess, other: PeerProcess) => async () => await eventually(`${peer.ready.peerId} connected to ${other.ready.peerId}`,
    async () => (await peer.api('/api/status')).body, s => s.peers.some((p: any) => p.peerId === other.ready.peerId && p.connected), timeoutMs)
  try {
    await Promise.all([connectedTo(a, b)(), connectedTo(b, a)()])
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- a:\n${a.stderr()}\n--- b:\n${b.stderr()}`)
  }
  return Date.now() - start
}

for (const defaultRoute of [false, true]) {
  test(`two peers on one switch ${defaultRoute ? 'with' : 'with no'} default route find each other by mDNS and connect within 2 s (asserted with a margin)`, { skip: LAN_SKIP }, async () => {
    const lan = makeLan({ defaultRoute })
    const peers: PeerProcess[] = []
    try {
      const [a, b] = await startOnLan(lan, 'test-lan', peers) as [PeerProcess, PeerProcess]
      const ms = await timeToConnect(a, b, FIND_BOUND_MS)
      assert.ok(ms <= FIND_BOUND_MS, `${ms} ms`)
      const logged = loggedTimeToConnect(a, b)
      console.log(`${defaultRoute ? 'with' : 'no'} default route: by the peers' logs connected ${logged} ms after the later one was ready; both showed it in the API ${ms} ms after the test saw both ready (target ${FIND_TARGET_MS} ms, asserted ${FIND_BOUND_MS} ms)`)
      assert.ok(logged <= FIND_TARGET_MS, `connected ${logged} ms after both were up`)
      const seen = (await a.api('/api/status')).body.peers.find((p: any) => p.peerId === b.ready.peerId)
      assert.ok(seen.addrs.some((addr: string) => addr.includes(lan.hosts[1]!.address)), `b's LAN address in ${JSON.stringify(seen.addrs)}`)
      assert.doesNotMatch(a.stderr() + b.stderr(), /mDNS/, 'no send failed')
    } finally {
      await Promise.all(peers.map(async p => await p.stop()))
      lan.remove()
    }
  })
}

const nftMissing = ((): string | undefined => {
  if (LAN_SKIP !== false) return undefined
  try { execFileSync('nft', ['--version'], { stdio: 'ignore' }); return undefined } catch { return 'skipped: needs nft to make an interface refuse mDNS' }
})()

test('a send that fails on one interface is logged once, with its reason; the other interfaces still work', { skip: LAN_SKIP !== false ? LAN_SKIP : nftMissing ?? false }, async () => {
  const lan = makeLan()
  const peers: PeerProcess[] = []
  try {
    const a = lan.hosts[0]!
    // A second interface on a, up, whose outgoing mDNS the firewall drops: sendmsg answers EPERM.
    const dead = `tpdead${process.pid % 10000}`
    ip('-n', a.netns, 'link', 'add', dead, 'type', 'veth', 'peer', 'name', `${dead}p`)
    ip('-n', a.netns, 'addr', 'add', '10.239.0.1/24', 'dev', dead)
    ip('-n', a.netns, 'link', 'set', `${dead}p`, 'up')
    ip('-n', a.netns, 'link', 'set', dead, 'up')
    const nft = (...args: string[]): void => { execFileSync('ip', ['netns', 'exec', a.netns, 'nft', ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) }
    nft('add', 'table', 'ip', 'tp')
    nft('add', 'chain', 'ip', 'tp', 'out', '{ type filter hook output priority 0 ; }')
    nft('add', 'rule', 'ip', 'tp', 'out', 'oifname', dead, 'udp', 'dport', '5353', 'drop')

    // a first, then b: a queries at its start and answers b's query, two sends on the refusing interface.
    const pa = await startPeerProcess({ netns: a.netns, mdns: true, network: 'test-lan-fail', listen: `/ip4/${a.address}/tcp/0` })
    peers.push(pa)
    const pb = await startPeerProcess({ netns: lan.hosts[1]!.netns, mdns: true, network: 'test-lan-fail', listen: `/ip4/${lan.hosts[1]!.address}/tcp/0` })
    peers.push(pb)
    const ms = await timeToConnect(pa, pb, FIND_BOUND_MS)
    console.log(`with one interface refusing: connected in ${ms} ms`)
    const lines = pa.stderr().split('\n').filter(line => line.includes(`mDNS: sending on ${dead} failed`))
    console.log(lines[0])
    assert.equal(lines.length, 1, pa.stderr())
    assert.match(lines[0]!, /EPERM/)
  } finally {
    await Promise.all(peers.map(async p => await p.stop()))
    lan.remove()
  }
})

test('peers of another network on the same LAN are not even discovered', { skip: LAN_SKIP }, async () => {
  const lan = makeLan()
  const peers: PeerProcess[] = []
  try {
    peers.push(await startPeerProcess({ netns: lan.hosts[0]!.netns, mdns: true, network: 'test-lan-red', listen: `/ip4/${lan.hosts[0]!.address}/tcp/0` }))
    peers.push(await startPeerProcess({ netns: lan.hosts[1]!.netns, mdns: true, network: 'test-lan-blue', listen: `/ip4/${lan.hosts[1]!.address}/tcp/0` }))
    await new Promise(resolve => setTimeout(resolve, 4000))
    assert.deepEqual((await peers[0]!.api('/api/status')).body.peers, [])
  } finally {
    await Promise.all(peers.map(async p => await p.stop()))
    lan.remove()
  }
})
