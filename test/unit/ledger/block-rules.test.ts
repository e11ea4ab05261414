// One row per consensus rule: a block (or the transaction inside it) that breaks just that rule,
// built on a valid chain, must be refused with that rule's code and change nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryChain, newKey, spend, signAll, coinbaseOutpoint, solve } from './block-builder.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { decodeBlock, encodeBlock } from '../../../p2p/ledger/rules/codec.ts'
import { txid } from '../../../p2p/ledger/rules/hash.ts'
import { COIN } from '../../../p2p/ledger/rules/params.ts'
import { blockRuleRows, setup } from './rule-cases.ts'

for (const row of blockRuleRows) {
  test(`rejected(${row.code}): ${row.why}`, () => {
    const s = setup(row.params)
    s.chain.expectRejected(row.block(s), row.code)
    // The honest block at the same place is still accepted afterwards.
    s.chain.accept(s.chain.build())
  })
}

test('accepted: a spend, a spend of its output in the same block, and the fees going to the miner', () => {
  const s = setup()
  const pay = spend([s.mature], [{ amount: 30 * COIN, pkh: s.bob.pkh }, { amount: s.reward - 30 * COIN - 1000, pkh: s.alice.pkh }], s.alice)
  const onward = signAll({ version: 1, inputs: [{ prevTxid: txid(pay), prevIndex: 0, unlock: '' }], outputs: [{ amount: 30 * COIN - 500, pkh: s.alice.pkh }], lockTime: 0 }, s.bob)
  const miner = newKey()
  const block = s.chain.build({ txs: [pay, onward], coinbasePays: [{ amount: s.reward + 1500, pkh: miner.pkh }] })
  s.chain.accept(block)
  assert.equal(s.chain.coins.get(`${txid(pay)}:0`), undefined, 'spent inside the block')
  assert.equal(s.chain.coins.get(`${txid(onward)}:0`)?.amount, 30 * COIN - 500)
  assert.equal(s.chain.coins.get(`${txid(block.txs[0]!)}:0`)?.amount, s.reward + 1500)
})

test('accepted: a coinbase output exactly at maturity; refused one block earlier', () => {
  const chain = new MemoryChain()
  const alice = newKey()
  const [first] = chain.mine(1, alice)
  chain.mine(chain.params.coinbaseMaturity - 2)
  const tx = spend([coinbaseOutpoint(first!)], [{ amount: 1, pkh: alice.pkh }], alice)
  chain.expectRejected(chain.build({ txs: [tx] }), 'immature-coinbase-spend')
  chain.mine(1)
  chain.accept(chain.build({ txs: [tx] }))
})

test('rejected(malformed): truncated, padded and non-canonical block bytes', () => {
  const s = setup()
  const bytes = encodeBlock(s.chain.build())
  for (const broken of [bytes.subarray(0, bytes.length - 1), Buffer.concat([bytes, Buffer.of(0)]), Buffer.concat([bytes.subarray(0, 80), Buffer.of(0xfd, 1, 0), bytes.subarray(81)])]) {
    assert.throws(() => decodeBlock(broken), (err: unknown) => err instanceof RuleError && err.code === 'malformed')
  }
  assert.deepEqual(decodeBlock(bytes), decodeBlock(encodeBlock(decodeBlock(bytes))))
})

test('a block with a solved header is not valid when its bits lie about the target', () => {
  const s = setup()
  const block = solve(s.chain.build({ bits: 0x2000ffff }), s.chain.params)
  s.chain.expectRejected(block, 'bad-bits')
})
