// Reach, on simulated NATs (network namespaces, as in test/net-serial/reach-relay.test.ts; root only): seconds from
// start to the first connection between two peers behind endpoint-independent NATs — relayed, then direct
// after the WebRTC hole punch — and a 100 MB download over the direct path beside the same download over a
// relay (from a peer behind a symmetric NAT, where the punch fails), the relay's byte and time limits
// raised so one connection can carry it.
// Run: npm run bench:reach  (BENCH_MB=20 for a quicker run)
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startPeerProcess, eventually, makeDataDir, type PeerProcess } from '../test/support/peer-process.ts'
import { makeNatTopology, natUnavailableReason, PUBLIC_PREFIX } from '../test/support/nat-topology.ts'

const MB = Number(process.env.BENCH_MB ?? 100)
const NETWORK = 'reach-bench'
const unavailable = natUnavailableReason()
if (unavailable !== undefined) {
  process.stdout.write(`bench:reach skipped: needs root and network namespaces (${unavailable})\n`)
  process.exit(0)
}

const topology = makeNatTopology({ publicPeers: 1, homes: ['endpoint-independent', 'endpoint-independent', 'symmetric'] })
const peers: PeerProcess[] = []
const seconds = (since: number): string => ((Date.now() - since) / 1000).toFixed(2)
const peerOf = async (from: PeerProcess, to: PeerProcess): Promise<any> => (await from.api('/api/status')).body.peers.find((p: any) => p.peerId === to.ready.peerId)

try {
  const relay = await startPeerProcess({
    netns: topology.internet,
    network: NETWORK,
    listen: `/ip4/${topology.publicAddresses[0]!}/tcp/4001`,
    args: ['--public-prefix', PUBLIC_PREFIX, '--relay-max-bytes', String(4 * MB * 1024 * 1024), '--relay-max-seconds', '3600']
  })
  peers.push(relay)
  const bootstrap = ['--bootstrap', `/ip4/${topology.publicAddresses[0]!}/tcp/4001/p2p/${relay.ready.peerId}`]
  const started = Date.now()
  // One at a time, each kept for the teardown as soon as it runs.
  for (const home of topology.homes) {
    peers.push(await startPeerProcess({ netns: home.netns, network: NETWORK, listen: `/ip4/${home.address}/tcp/0`, args: ['--public-prefix', PUBLIC_PREFIX, ...bootstrap] }))
  }
  const [a, b, c] = peers.slice(1) as [PeerProcess, PeerProcess, PeerProcess]
  const circuit = (await eventually('A reserved', async () => (await a.api('/api/status')).body, s => s.relays.length > 0, 60_000))
    .relays[0].addrs.find((addr: string) => !addr.includes('/webrtc'))
  process.stdout.write(`peers started, A reachable through the relay: ${seconds(started)} s\n`)
  const dialled = await b.api('/api/peers/dial', { body: { addr: circuit } })
  if (dialled.status !== 200) throw new Error(`B could not dial A: ${JSON.stringify(dialled.body)}`)
  process.stdout.write(`B -> A relayed:  ${seconds(started)} s from start\n`)
  await eventually('B -> A direct', async () => await peerOf(b, a), p => p?.connection === 'direct', 60_000)
  process.stdout.write(`B -> A direct:   ${seconds(started)} s from start (hole punched)\n`)
  await c.api('/api/peers/dial', { body: { addr: circuit } })

  const path = join(await makeDataDir('reach-bench'), 'big.bin')
  await writeFile(path, randomBytes(MB * 1024 * 1024))
  const added = (await a.api('/api/files', { body: { path } })).body
  for (const [label, peer] of [['direct (B, hole punched)', b], ['relayed (C, symmetric NAT)', c]] as const) {
    const t0 = Date.now()
    const res = await peer.api('/api/files/download', { body: { cid: added.cid } })
    if (res.status !== 200) throw new Error(`download refused: ${JSON.stringify(res.body)}`)
    const done = await eventually(`${label} download`, async () => (await peer.api(`/api/files/${added.cid}`)).body, e => e.state === 'complete' || e.state === 'failed', 900_000)
    const kind = (await peerOf(peer, a))?.connection
    process.stdout.write(`${MB} MB ${label}: ${seconds(t0)} s, ${(MB / ((Date.now() - t0) / 1000)).toFixed(1)} MB/s, ${done.state}, connection ${kind}\n`)
  }
} finally {
  await Promise.all(peers.map(async p => await p.stop()))
  topology.remove()
}
