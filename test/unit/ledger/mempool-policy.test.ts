// Mempool policy beside the rules: orphan transactions wait (bounded, expiring) and get in when a parent
// arrives, by gossip or in a block; a byte cap where the lowest fee rates make room for higher ones.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Mempool, type MempoolEntry } from '../../../p2p/ledger/mempool/mempool.ts'
import { MAX_ORPHAN_TXS, ORPHAN_TX_SECONDS } from '../../../p2p/ledger/mempool/orphan-txs.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { txid } from '../../../p2p/ledger/rules/hash.ts'
import { encodeTx, type Transaction } from '../../../p2p/ledger/rules/codec.ts'
import { spend, type Key } from './block-builder.ts'
import { mineMany, mineNext, openTestLedger, removeLedger, type OpenLedger } from './ledger-harness.ts'

const refusedWith = (code: string) => (err: unknown) => err instanceof RuleError && err.code === code

/** A ledger whose wallet owns `spendable` mature coinbase outputs; returns them with the wallet's key. */
async function fundedLedger (t: { after: (fn: () => Promise<void>) => void }, spendable = 1): Promise<{ ledger: OpenLedger, key: Key, coins: Array<{ txid: string, index: number, amount: number }> }> {
  const ledger = await openTestLedger()
  t.after(async () => { await removeLedger(ledger) })
  const key = { secretKey: ledger.keys.secretKey(), pkh: ledger.keys.requirePkh() }
  await mineMany(ledger, ledger.chain.params.coinbaseMaturity + spendable - 1, key.pkh)
  const owned = await ledger.chain.coinsOf(key.pkh)
  const coins = owned.filter(c => ledger.chain.tip.height + 1 - c.coin.height >= ledger.chain.params.coinbaseMaturity)
    .map(c => { const [id, index] = c.outpoint.split(':'); return { txid: id!, index: Number(index), amount: c.coin.amount } })
  assert.equal(coins.length, spendable)
  return { ledger, key, coins }
}

/** A payment of `coin` back to `key`, paying `fee`. */
function pay (coin: { txid: string, index: number, amount: number }, key: Key, fee: number): Transaction {
  return spend([coin], [{ amount: coin.amount - fee, pkh: key.pkh }], key)
}

const outputOf = (tx: Transaction) => ({ txid: txid(tx), index: 0, amount: tx.outputs[0]!.amount })

test('a transaction whose parent is unknown waits as an orphan and gets in, after its parent, when the parent arrives', async (t) => {
  const { ledger, key, coins } = await fundedLedger(t)
  const parent = pay(coins[0]!, key, 200)
  const child = pay(outputOf(parent), key, 200)
  const grandchild = pay(outputOf(child), key, 200)
  const adopted: MempoolEntry[] = []
  ledger.mempool.onOrphanAdmitted(entry => { adopted.push(entry) })

  await assert.rejects(ledger.mempool.add(grandchild), refusedWith('missing-input-mempool'))
  await assert.rejects(ledger.mempool.add(child), refusedWith('missing-input-mempool'))
  await assert.rejects(ledger.mempool.add(child), refusedWith('already-known'), 'an orphan is known')
  assert.equal(ledger.mempool.size, 0)
  assert.equal(ledger.mempool.orphanCount, 2)

  await ledger.mempool.add(parent)
  assert.deepEqual(ledger.mempool.entries().map(e => e.txid), [parent, child, grandchild].map(txid), 'each after the one it spends')
  assert.deepEqual(adopted.map(e => e.txid), [child, grandchild].map(txid))
  assert.equal(ledger.mempool.orphanCount, 0)
})

test('an orphan gets in when its parent arrives in a block instead', async (t) => {
  const { ledger, key, coins } = await fundedLedger(t)
  const parent = pay(coins[0]!, key, 200)
  const child = pay(outputOf(parent), key, 200)
  await ledger.mempool.add(parent)
  // A second peer, in step with the first, hears of the child first and gets the parent only in a block.
  const other = await openTestLedger()
  t.after(async () => { await removeLedger(other) })
  for (const entry of ledger.chain.recentEntries(100).filter(e => e.height > 0)) await other.chain.submit((await ledger.chain.getBlock(entry.hash))!)
  await assert.rejects(other.mempool.add(child), refusedWith('missing-input-mempool'))
  await mineNext(ledger, key.pkh, other)
  assert.ok(other.mempool.has(txid(child)))
  assert.equal(other.mempool.orphanCount, 0)
})

test('orphans expire, and at most MAX_ORPHAN_TXS wait, the oldest dropped first', async (t) => {
  const { ledger, key, coins } = await fundedLedger(t)
  let clock = ledger.chain.params.genesisTime + 1_000_000
  const mempool = new Mempool(ledger.chain, () => clock)
  const parent = pay(coins[0]!, key, 200)
  await assert.rejects(mempool.add(pay(outputOf(parent), key, 200)), refusedWith('missing-input-mempool'))
  clock += ORPHAN_TX_SECONDS + 1
  await mempool.add(parent)
  assert.equal(mempool.size, 1, 'the child expired before its parent came')
  assert.equal(mempool.orphanCount, 0)

  // The oldest orphan waits for `second`, then more orphans than fit arrive: it is the one dropped.
  const second = pay(outputOf(parent), key, 200)
  const oldest = pay(outputOf(second), key, 200)
  await assert.rejects(mempool.add(oldest), refusedWith('missing-input-mempool'))
  const unknownParent = (): Transaction => pay({ txid: randomBytes(32).toString('hex'), index: 0, amount: 10_000 }, key, 200)
  for (let i = 0; i < MAX_ORPHAN_TXS; i++) await assert.rejects(mempool.add(unknownParent()), refusedWith('missing-input-mempool'))
  assert.equal(mempool.orphanCount, MAX_ORPHAN_TXS)
  await mempool.add(second)
  assert.equal(mempool.has(txid(oldest)), false, 'the oldest orphan was dropped to make room')
  assert.equal(mempool.orphanCount, MAX_ORPHAN_TXS)
})

test('past the byte cap, a higher fee rate evicts the lowest; a lower one is refused and evicts nothing; ancestors stay', async (t) => {
  const { ledger, key, coins } = await fundedLedger(t, 4)
  const [a, b, c, d] = coins as [typeof coins[0], typeof coins[0], typeof coins[0], typeof coins[0]]
  const cheap = pay(a, key, 300)
  const middle = pay(b, key, 400)
  const size = encodeTx(cheap).byteLength
  // Room for two transactions of this shape.
  const mempool = new Mempool(ledger.chain, () => 0, { maxBytes: 2 * size + 10 })
  await mempool.add(cheap)
  await mempool.add(middle)
  assert.equal(mempool.bytes, 2 * size)

  await assert.rejects(mempool.add(pay(c, key, 250)), refusedWith('mempool-full'))
  assert.deepEqual(mempool.entries().map(e => e.txid), [cheap, middle].map(txid), 'a refusal evicts nothing')

  const rich = pay(c, key, 1000)
  await mempool.add(rich)
  assert.deepEqual(mempool.entries().map(e => e.txid), [middle, rich].map(txid), 'the lowest fee rate made room')

  // A well-paying child of `middle`: its parent is its ancestor, so only `rich` may go.
  const child = pay(outputOf(middle), key, 5000)
  await mempool.add(child)
  assert.deepEqual(mempool.entries().map(e => e.txid), [middle, child].map(txid), 'its parent stayed, the cheaper other went')
  // `middle` pays little on its own but its child pays for both: the package stays for a lower rate.
  await assert.rejects(mempool.add(pay(d, key, 450)), refusedWith('mempool-full'))
  const richest = pay(d, key, 20_000)
  await mempool.add(richest)
  assert.deepEqual(mempool.entries().map(e => e.txid), [richest].map(txid), 'a package goes whole: evicting a parent evicts what spends it')
  assert.equal(mempool.bytes, size)
})
