// Partition and heal: two peers mine apart; on reconnect both follow the branch with the most work,
// the payment on the losing branch goes back to the mempool, is announced again at once and mined in the
// winner's next block; balances follow.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { eventually, type PeerProcess } from '../support/peer-process.ts'
import { startLedgerPeer, mine, chainOf, walletOf, converge } from './ledger-helpers.ts'

const NETWORK = 'test-ledger-partition'
const peers: PeerProcess[] = []
after(async () => { await Promise.all(peers.map(async p => await p.stop())) })

test('two peers mine apart, reconnect, converge on the most-work chain; the losing payment is announced again and mined in the winner\'s next block', async () => {
  const a = await startLedgerPeer(NETWORK)
  peers.push(a)
  const b = await startLedgerPeer(NETWORK, { bootstrap: a })
  peers.push(b)
  await mine(a, 5)
  await converge([b], a)
  const bobAddress = (await walletOf(b)).address

  assert.equal((await b.api('/api/network', { body: { online: false } })).status, 200)
  const paid = await a.api('/api/wallet/send', { body: { to: bobAddress, amount: 2500, fee: 500 } })
  assert.equal(paid.status, 200, JSON.stringify(paid.body))
  const aSide = await mine(a, 1)
  assert.equal((await a.api('/api/mempool')).body.size, 0, 'the payment is mined on a\'s side')
  const bSide = await mine(b, 3)
  assert.ok(BigInt(bSide.cumulativeWork) > BigInt(aSide.cumulativeWork))

  await b.api('/api/network', { body: { online: true } })
  const winner = await converge([a], b, 60_000)
  assert.equal(winner.tip, bSide.tip)
  const reorgSeen = Date.now()
  // Back in a's mempool, and announced again at once: b has it long before catch-up's next round (10 s).
  await eventually('the losing payment waits again on a', async () => (await a.api('/api/mempool')).body.txs.map((t: any) => t.txid), ids => ids.includes(paid.body.txid))
  await eventually('the returned payment reaches b\'s mempool', async () => (await b.api('/api/mempool')).body.txs.map((t: any) => t.txid), ids => ids.includes(paid.body.txid), 2000)
  console.log(`returned payment in b's mempool ${Date.now() - reorgSeen} ms after a's reorg was seen`)
  assert.match(a.stderr(), /a reorg returned 1 transaction\(s\) to the mempool/)
  const blocks = (await chainOf(a) as any).blocks as Array<{ hash: string, onMainChain: boolean }>
  assert.ok(blocks.some(block => block.hash === aSide.tip && !block.onMainChain), 'a\'s old tip is kept as a side branch')

  await mine(b, 1)
  await converge([a], b)
  const bob = await walletOf(b)
  // b's own four rewards (some still immature), the payment and its fee: it was in the block b mined next.
  assert.equal(bob.balance.confirmed + bob.balance.immature, 4 * 50 * 100_000_000 + 2500 + 500)
  assert.equal(bob.history.find(h => h.txid === paid.body.txid)?.confirmations, 1)
  const alice = await walletOf(a)
  assert.equal(alice.balance.pending, 0)
})
