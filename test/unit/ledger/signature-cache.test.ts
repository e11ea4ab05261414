// The signature cache: bounded and least-recently-used, consulted before verifying, filled only by
// successes; a transaction the mempool admitted connects in its block without being verified again.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SignatureCache } from '../../../p2p/ledger/rules/signature-cache.ts'
import { BoundedCache } from '../../../p2p/ledger/rules/bounded-cache.ts'
import { checkTxInputs } from '../../../p2p/ledger/rules/tx.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { txid } from '../../../p2p/ledger/rules/hash.ts'
import { chainParams } from '../../../p2p/ledger/rules/params.ts'
import { decodeAddress } from '../../../p2p/ledger/rules/address.ts'
import { newKey, spend } from './block-builder.ts'
import { mineMany, mineNext, openTestLedger, removeLedger } from './ledger-harness.ts'

const params = chainParams('test')

test('the cache keeps the most recently used entries up to its capacity', () => {
  const cache = new SignatureCache(2)
  cache.add('a', 0)
  cache.add('b', 0)
  assert.equal(cache.has('a', 0), true)
  cache.add('c', 0)
  assert.equal(cache.has('b', 0), false, 'the least recently used entry goes first')
  assert.equal(cache.has('a', 0), true)
  assert.equal(cache.has('c', 0), true)
  assert.equal(cache.has('c', 1), false, 'each input is its own entry')
  assert.equal(cache.size, 2)
  assert.equal(cache.hits, 3)
})

test('the bounded cache keeps the most recently used entries, by weight, up to its capacity', () => {
  const cache = new BoundedCache<string, number>(3)
  cache.set('a', 1)
  cache.set('b', 2)
  cache.set('c', 3)
  assert.equal(cache.get('a'), 1)
  cache.set('d', 4)
  assert.equal(cache.get('b'), undefined, 'the least recently used entry goes first')
  cache.delete('c')
  cache.set('e', 5, 2)
  assert.deepEqual([cache.get('a'), cache.get('d'), cache.get('e'), cache.size], [undefined, 4, 5, 3])
  cache.set('f', 6, 5)
  assert.deepEqual([cache.get('d'), cache.get('e'), cache.get('f'), cache.size], [undefined, undefined, 6, 5], 'an entry over capacity alone stays, alone')
})

test('getOrSet makes a value once and keeps it, as a recent entry', () => {
  const cache = new BoundedCache<string, number>(2)
  let made = 0
  const make = (): number => ++made
  assert.deepEqual([cache.getOrSet('a', make), cache.getOrSet('a', make), made], [1, 1, 1])
  cache.set('b', 7)
  cache.getOrSet('a', make)
  cache.set('c', 8)
  assert.deepEqual([cache.get('a'), cache.get('b'), made], [1, undefined, 1], 'a hit makes the entry recent')
})

test('the signature cache counts inputs, and drops a whole transaction at a time, the least recently used', () => {
  const cache = new SignatureCache(3)
  cache.add('a', 0)
  cache.add('a', 1)
  cache.add('b', 0)
  assert.equal(cache.size, 3)
  assert.equal(cache.has('a', 1), true)
  cache.add('c', 0)
  assert.equal(cache.has('b', 0), false, 'b was used least recently')
  assert.deepEqual([cache.has('a', 0), cache.has('a', 1), cache.has('c', 0), cache.size], [true, true, true, 3])
  cache.add('d', 0)
  cache.add('d', 1)
  assert.deepEqual([cache.has('d', 0), cache.has('d', 1), cache.has('a', 0), cache.size], [true, true, false, 3])
})

test('a verified signature is remembered, a bad one is not, and a remembered one is not verified again', () => {
  const key = newKey()
  const coin = { amount: 10_000, pkh: key.pkh, height: 0, coinbase: false }
  const tx = spend([{ txid: 'ab'.repeat(32), index: 0 }], [{ amount: 9000, pkh: key.pkh }], key)
  const cache = new SignatureCache()
  assert.equal(checkTxInputs(tx, () => coin, 1, params, { signatures: cache }), 1000)
  assert.equal(cache.has(txid(tx), 0), true)

  // The same key and outputs with a signature from another key: a different txid, verified, refused, not kept.
  const forged = { ...tx, inputs: [{ ...tx.inputs[0]!, unlock: tx.inputs[0]!.unlock.slice(0, 64) + spend([{ txid: 'ab'.repeat(32), index: 0 }], tx.outputs, newKey()).inputs[0]!.unlock.slice(64) }] }
  assert.throws(() => checkTxInputs(forged, () => coin, 1, params, { signatures: cache }), (err: unknown) => err instanceof RuleError && err.code === 'bad-signature')
  assert.equal(cache.has(txid(forged), 0), false)

  // Planting the forgery's id shows the cache is consulted: its signature is skipped (never do this outside a test).
  cache.add(txid(forged), 0)
  assert.equal(checkTxInputs(forged, () => coin, 1, params, { signatures: cache }), 1000)
  // The key must still own the coin: the cache skips only the signature.
  assert.throws(() => checkTxInputs(tx, () => ({ ...coin, pkh: newKey().pkh }), 1, params, { signatures: cache }), (err: unknown) => err instanceof RuleError && err.code === 'wrong-key')
})

test('a transaction admitted to the mempool connects in its block with no second verification', async (t) => {
  const ledger = await openTestLedger()
  t.after(async () => { await removeLedger(ledger) })
  await mineMany(ledger, params.coinbaseMaturity, decodeAddress(ledger.wallet.address))
  const id = txid(await ledger.wallet.send(ledger.wallet.address, 1000, 200))
  assert.equal(ledger.chain.signatures.has(id, 0), true, 'the mempool verified and remembered it')
  const hitsBefore = ledger.chain.signatures.hits
  const block = await mineNext(ledger, decodeAddress(ledger.wallet.address))
  assert.ok(block.txs.some(mined => txid(mined) === id))
  assert.equal(ledger.mempool.size, 0, 'the block connected and took the payment out of the mempool')
  assert.equal(ledger.chain.signatures.hits - hitsBefore, 1, 'connecting the block found its one signature verified')
})
