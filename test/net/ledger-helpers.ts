// Shared steps of the ledger's network tests: peers on the test chain, mining a counted number of
// blocks on one worker thread, and reading chain and wallet through the API.
import { eventually, startPeerProcess, type PeerProcess } from '../support/peer-process.ts'

export async function startLedgerPeer (network: string, options: { bootstrap?: PeerProcess, dataDir?: string } = {}): Promise<PeerProcess> {
  return await startPeerProcess({
    network,
    dataDir: options.dataDir,
    args: ['--chain', 'test', ...(options.bootstrap === undefined ? [] : ['--bootstrap', options.bootstrap.ready.addrs[0]!])]
  })
}

export interface ChainView { height: number, tip: string, cumulativeWork: string }

export async function chainOf (peer: PeerProcess): Promise<ChainView> {
  return (await peer.api('/api/chain')).body
}

/** Mines `count` blocks on one thread and waits for them to connect (a longer chain may overtake them). */
export async function mine (peer: PeerProcess, count: number): Promise<ChainView> {
  const start = (await chainOf(peer)).height
  const started = await peer.api('/api/mining', { body: { enabled: true, threads: 1, blocks: count } })
  if (started.status !== 200) throw new Error(`mining refused: ${JSON.stringify(started.body)}`)
  await eventually(`miner of ${peer.ready.peerId} done`, async () => (await peer.api('/api/mining')).body.enabled, enabled => enabled === false, 60_000)
  return await eventually('blocks connected', async () => await chainOf(peer), c => c.height >= start + count)
}

export async function walletOf (peer: PeerProcess): Promise<{ address: string, balance: { confirmed: number, pending: number, immature: number }, history: Array<{ txid: string, amount: number, confirmations: number }> }> {
  return (await peer.api('/api/wallet')).body
}

/** Waits until every peer reports the same tip as `leader`. */
export async function converge (peers: PeerProcess[], leader: PeerProcess, timeoutMs = 30_000): Promise<ChainView> {
  const want = await chainOf(leader)
  for (const peer of peers) await eventually(`${peer.ready.peerId} at ${want.tip}`, async () => await chainOf(peer), c => c.tip === want.tip, timeoutMs)
  return want
}
