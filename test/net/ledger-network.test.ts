// Three real peers on the test chain: a payment spreads by gossip and confirms everywhere, and a
// peer offline for 200 blocks catches up headers-first when it comes back.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { eventually, type PeerProcess } from '../support/peer-process.ts'
import { startLedgerPeer, mine, chainOf, walletOf, converge } from './ledger-helpers.ts'
import { newSecretKey, publicKeyOf, pubKeyHash, encodeAddress, decodeAddress } from '../../p2p/ledger/rules/address.ts'
import { signInput } from '../../p2p/ledger/rules/tx.ts'
import { encodeTx, toHex, type Transaction } from '../../p2p/ledger/rules/codec.ts'
import { chainParams } from '../../p2p/ledger/rules/params.ts'

const NETWORK = 'test-ledger-three'
const peers: PeerProcess[] = []
let a: PeerProcess
let b: PeerProcess
let c: PeerProcess

before(async () => {
  a = await startLedgerPeer(NETWORK)
  ;[b, c] = await Promise.all([startLedgerPeer(NETWORK, { bootstrap: a }), startLedgerPeer(NETWORK, { bootstrap: a })]) as [PeerProcess, PeerProcess]
  peers.push(a, b, c)
})
after(async () => { await Promise.all(peers.map(async p => await p.stop())) })

test('A mines and pays B; after k blocks all three agree on the chain and on B\'s balance', async () => {
  await mine(a, 4)
  await converge([b, c], a)
  const bob = await walletOf(b)
  const sent = await a.api('/api/wallet/send', { body: { to: bob.address, amount: 1234, fee: 300 } })
  assert.equal(sent.status, 200, JSON.stringify(sent.body))
  await eventually('the payment reaches every mempool', async () => await Promise.all(peers.map(async p => (await p.api('/api/mempool')).body.txs.map((t: any) => t.txid))),
    pools => pools.every(ids => ids.includes(sent.body.txid)))
  const k = 2
  await mine(a, k)
  const agreed = await converge([b, c], a)
  for (const p of peers) assert.equal((await p.api('/api/mempool')).body.size, 0)
  const bobAfter = await walletOf(b)
  assert.equal(bobAfter.balance.confirmed, 1234)
  assert.deepEqual(bobAfter.history.find(h => h.txid === sent.body.txid), { txid: sent.body.txid, amount: 1234, confirmations: k })
  const block = await c.api(`/api/chain/blocks/${agreed.tip}`)
  assert.equal(block.status, 200)
  assert.equal(block.body.confirmations, 1)
})

test('double spend: two signed spends of one output given to different peers; at most one is ever confirmed, the other dropped everywhere', async () => {
  const secretKey = newSecretKey()
  const mallory = encodeAddress(pubKeyHash(publicKeyOf(secretKey)))
  const funding = await a.api('/api/wallet/send', { body: { to: mallory, amount: 5000, fee: 300 } })
  assert.equal(funding.status, 200, JSON.stringify(funding.body))
  await mine(a, 1)
  await converge([b, c], a)
  const spendTo = (address: string): string => {
    const tx: Transaction = { version: 1, inputs: [{ prevTxid: funding.body.txid, prevIndex: 0, unlock: '' }], outputs: [{ amount: 4000, pkh: decodeAddress(address) }], lockTime: 0 }
    tx.inputs[0]!.unlock = signInput(tx, 0, secretKey, chainParams('test'))
    return toHex(encodeTx(tx))
  }
  const [toB, toC] = await Promise.all([
    b.api('/api/mempool', { body: { tx: spendTo((await walletOf(b)).address) } }),
    c.api('/api/mempool', { body: { tx: spendTo((await walletOf(c)).address) } })
  ])
  for (const answer of [toB, toC]) assert.ok(answer.status === 200 || (answer.status === 409 && answer.body.error.code === 'mempool-conflict'), JSON.stringify(answer.body))
  await mine(a, 2)
  await converge([b, c], a)
  const received = await Promise.all([b, c].map(async p => (await walletOf(p)).history.filter(h => h.amount === 4000 && h.confirmations > 0).length))
  assert.equal(received[0]! + received[1]!, 1, `exactly one spend confirmed (b: ${received[0]}, c: ${received[1]})`)
  for (const p of peers) assert.equal((await p.api('/api/mempool')).body.size, 0, 'the losing spend is gone from every mempool')
  const garbage = await b.api('/api/mempool', { body: { tx: 'abcd' } })
  assert.deepEqual([garbage.status, garbage.body.error.code], [400, 'malformed'])
})

test('a peer offline for 200 blocks catches up when it comes back', async () => {
  assert.equal((await c.api('/api/network', { body: { online: false } })).status, 200)
  const before = await chainOf(c)
  // c may hold the double spend of the test before (either of b and c could have won it).
  const balanceBefore = (await walletOf(c)).balance.confirmed
  const mined = await mine(a, 200)
  await converge([b], a, 60_000)
  assert.equal((await chainOf(c)).tip, before.tip, 'offline, c saw nothing')
  await c.api('/api/network', { body: { online: true } })
  await converge([c], a, 90_000)
  assert.equal((await chainOf(c)).height, mined.height)
  assert.equal((await walletOf(c)).balance.confirmed, balanceBefore, 'nothing paid c meanwhile')
})
