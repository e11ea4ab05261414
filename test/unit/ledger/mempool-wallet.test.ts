// Wallet and mempool on a real chain: balances by maturity, payments, double spends refused in the
// mempool and against the chain, confirmations, and the losing branch's payments coming back on a reorg.
import { test, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { openTestLedger, removeLedger, mineMany, mineNext, type OpenLedger } from './ledger-harness.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { blockReward } from '../../../p2p/ledger/rules/params.ts'
import { txid } from '../../../p2p/ledger/rules/hash.ts'
import { signInput } from '../../../p2p/ledger/rules/tx.ts'
import { decodeAddress } from '../../../p2p/ledger/rules/address.ts'
import { WalletError } from '../../../p2p/ledger/wallet/keystore.ts'
import type { Transaction } from '../../../p2p/ledger/rules/codec.ts'

const open: OpenLedger[] = []
afterEach(async () => { for (const l of open.splice(0)) await removeLedger(l) })

async function ledger (): Promise<OpenLedger> {
  const l = await openTestLedger()
  open.push(l)
  return l
}

const pkhOf = (l: OpenLedger): string => decodeAddress(l.wallet.address)
const rejectsWith = (code: string) => (err: unknown) => (err instanceof RuleError || err instanceof WalletError) && err.code === code

/** Spends the same outputs as `tx`, all to `pkh`: what a double-spender signs. */
function doubleSpend (tx: Transaction, owner: OpenLedger, pkh: string): Transaction {
  const rival: Transaction = { version: 1, inputs: tx.inputs.map(i => ({ ...i, unlock: '' })), outputs: [{ amount: 5000, pkh }], lockTime: 0 }
  rival.inputs.forEach((input, i) => { input.unlock = signInput(rival, i, owner.keys.secretKey(), owner.chain.params) })
  return rival
}

async function copyChain (from: OpenLedger, to: OpenLedger): Promise<void> {
  for (const e of from.chain.recentEntries(100).filter(e => e.height > 0)) await to.chain.submit((await from.chain.getBlock(e.hash))!)
}

/** A wallet with `maturity` blocks mined to it: one coinbase spendable in the next block, the rest immature. */
async function funded (): Promise<OpenLedger> {
  const l = await ledger()
  await mineMany(l, l.chain.params.coinbaseMaturity, pkhOf(l))
  return l
}

test('coinbase rewards count as immature until the maturity depth, then as confirmed', async () => {
  const l = await ledger()
  const reward = blockReward(l.chain.params, 1)
  await mineMany(l, l.chain.params.coinbaseMaturity - 1, pkhOf(l))
  assert.deepEqual(await l.wallet.balance(), { confirmed: 0, pending: 0, immature: (l.chain.params.coinbaseMaturity - 1) * reward })
  await mineNext(l, pkhOf(l))
  assert.deepEqual(await l.wallet.balance(), { confirmed: reward, pending: 0, immature: (l.chain.params.coinbaseMaturity - 1) * reward })
})

test('a payment waits in the mempool, is mined, and gains confirmations; the receiver sees it', async () => {
  const alice = await funded()
  const bob = await ledger()
  const reward = blockReward(alice.chain.params, 1)
  const tx = await alice.wallet.send(bob.wallet.address, 1000, 200)
  assert.equal(alice.mempool.size, 1)
  assert.deepEqual(await alice.wallet.balance(), { confirmed: 0, pending: reward - 1200, immature: (alice.chain.params.coinbaseMaturity - 1) * reward })
  assert.deepEqual((await alice.wallet.history())[0], { txid: txid(tx), amount: -1200, confirmations: 0 })
  const block = await mineNext(alice, pkhOf(alice))
  assert.equal(block.txs.length, 2)
  assert.equal(block.txs[0]!.outputs[0]!.amount, reward + 200, 'the fee goes to the miner')
  assert.equal(alice.mempool.size, 0)
  await mineNext(alice, pkhOf(alice))
  assert.deepEqual((await alice.wallet.history()).find(p => p.txid === txid(tx)), { txid: txid(tx), amount: -1200, confirmations: 2 })
  assert.deepEqual(await alice.chain.coinsOf(pkhOf(bob)).then(c => c.map(x => x.coin.amount)), [1000])
})

test('change can be spent again before it is mined', async () => {
  const alice = await funded()
  const bob = await ledger()
  await alice.wallet.send(bob.wallet.address, 1000, 200)
  await alice.wallet.send(bob.wallet.address, 2000, 200)
  assert.equal(alice.mempool.size, 2)
  await mineNext(alice, pkhOf(alice))
  assert.equal(alice.mempool.size, 0)
  assert.deepEqual((await alice.chain.coinsOf(pkhOf(bob))).map(c => c.coin.amount).sort(), [1000, 2000])
})

test('double spend: a second transaction spending the same output is refused by the mempool, and after mining, against the chain', async () => {
  const alice = await funded()
  const bob = await ledger()
  const carol = await ledger()
  const first = await alice.wallet.send(bob.wallet.address, 1000, 200)
  const rival = doubleSpend(first, alice, pkhOf(carol))
  await assert.rejects(alice.mempool.add(rival), rejectsWith('mempool-conflict'))
  await mineNext(alice, pkhOf(alice))
  await assert.rejects(alice.mempool.add(rival), rejectsWith('missing-input-mempool'))
  await assert.rejects(alice.mempool.add(first), rejectsWith('missing-input-mempool'))
})

test('a mempool transaction that conflicts with a mined block is dropped', async () => {
  const alice = await funded()
  const bob = await ledger()
  const carol = await ledger()
  const toBob = await alice.wallet.send(bob.wallet.address, 1000, 200)
  const toCarol = doubleSpend(toBob, alice, pkhOf(carol))
  // Carol's peer sees the rival first and mines it.
  await copyChain(alice, carol)
  await carol.mempool.add(toCarol)
  const mined = await mineNext(carol, pkhOf(bob))
  await alice.chain.submit(mined)
  assert.equal(alice.mempool.has(txid(toBob)), false, 'the losing payment is gone from the mempool')
  assert.deepEqual((await alice.chain.coinsOf(pkhOf(carol))).map(c => c.coin.amount), [5000])
})

test('on a reorg the losing branch payment returns to the mempool and is mined on the winning branch', async () => {
  const alice = await funded()
  const other = await ledger()
  const bob = await ledger()
  await copyChain(alice, other)
  const pay = await alice.wallet.send(bob.wallet.address, 1000, 200)
  await mineNext(alice, pkhOf(alice))
  assert.equal(alice.mempool.size, 0)
  // The other side mines two blocks without the payment: more work.
  const [b1, b2] = await mineMany(other, 2, pkhOf(other))
  await alice.chain.submit(b1!)
  await alice.chain.submit(b2!)
  assert.equal(alice.chain.tip.hash, other.chain.tip.hash)
  assert.ok(alice.mempool.has(txid(pay)), 'the payment is waiting again')
  assert.equal((await alice.chain.coinsOf(pkhOf(bob))).length, 0)
  await mineNext(alice, pkhOf(alice))
  assert.deepEqual((await alice.chain.coinsOf(pkhOf(bob))).map(c => c.coin.amount), [1000])
})

test('the wallet refuses a mistyped address, a bad amount and more than it has, with a reason', async () => {
  const alice = await funded()
  const bob = await ledger()
  const address = bob.wallet.address
  const typo = address.slice(0, -1) + (address.endsWith('a') ? 'b' : 'a')
  await assert.rejects(alice.wallet.send(typo, 1000, 200), rejectsWith('bad-address'))
  await assert.rejects(alice.wallet.send(address, 0, 200), rejectsWith('bad-amount'))
  await assert.rejects(alice.wallet.send(address, 1.5, 200), rejectsWith('bad-amount'))
  await assert.rejects(alice.wallet.send(address, 1000, 1), rejectsWith('bad-amount'))
  await assert.rejects(alice.wallet.send(address, 10 ** 15, 200), rejectsWith('insufficient-funds'))
  assert.equal(alice.mempool.size, 0)
})

test('with a passphrase the key is sealed on disk; reopened the wallet is locked until unlocked', async () => {
  const alice = await funded()
  const bob = await ledger()
  const secretHex = Buffer.from(alice.keys.secretKey()).toString('hex')
  await alice.keys.setPassphrase('correct horse')
  const dir = alice.dir
  const address = alice.wallet.address
  await alice.close()
  open.splice(open.indexOf(alice), 1)
  for (const file of await readdir(dir)) {
    const text = (await readFile(join(dir, file))).toString('latin1')
    assert.ok(!text.includes(secretHex), `secret key in plain text in ${file}`)
  }
  const again = await openTestLedger(undefined, dir)
  open.push(again)
  assert.equal(again.wallet.address, address)
  assert.ok(again.keys.locked)
  await assert.rejects(again.wallet.send(bob.wallet.address, 1000, 200), rejectsWith('locked'))
  await assert.rejects(again.keys.unlock('wrong'), rejectsWith('wrong-passphrase'))
  await again.keys.unlock('correct horse')
  await again.wallet.send(bob.wallet.address, 1000, 200)
})

test('mempool policy, apart from consensus: a coinbase, a repeat and a fee under the minimum are refused with their codes', async () => {
  const alice = await funded()
  const [block] = await mineMany(alice, 1, pkhOf(alice))
  await assert.rejects(alice.mempool.add(block!.txs[0]!), rejectsWith('coinbase-outside-block'))
  const paid = await alice.wallet.send(alice.wallet.address, 1000, 200)
  await assert.rejects(alice.mempool.add(paid), rejectsWith('already-known'))
  const [coin] = (await alice.chain.coinsOf(pkhOf(alice))).filter(c => !alice.mempool.isSpent(c.outpoint) && c.coin.height <= alice.chain.tip.height + 1 - alice.chain.params.coinbaseMaturity)
  const [id, index] = coin!.outpoint.split(':')
  const lowFee: Transaction = { version: 1, inputs: [{ prevTxid: id!, prevIndex: Number(index), unlock: '' }], outputs: [{ amount: coin!.coin.amount - 99, pkh: pkhOf(alice) }], lockTime: 0 }
  lowFee.inputs[0]!.unlock = signInput(lowFee, 0, alice.keys.secretKey(), alice.chain.params)
  await assert.rejects(alice.mempool.add(lowFee), rejectsWith('fee-too-low'))
})
