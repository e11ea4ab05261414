// One row per consensus rule: a block (or the transaction inside it) that breaks just that rule,
// built on a valid chain, must be refused with that rule's code and change nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryChain, newKey, spend, signAll, coinbaseOutpoint, unsolve, solve, type Key } from './block-builder.ts'
import type { RuleCode } from '../../../p2p/ledger/rules/codes.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { decodeBlock, encodeBlock, type Block } from '../../../p2p/ledger/rules/codec.ts'
import { merkleRoot, txid } from '../../../p2p/ledger/rules/hash.ts'
import { blockReward, chainParams, COIN, MAX_MONEY } from '../../../p2p/ledger/rules/params.ts'
import { medianTimePastAt } from '../../../p2p/ledger/rules/header-chain.ts'

interface Setup {
  chain: MemoryChain
  alice: Key
  bob: Key
  /** Alice's coinbase output, mature at the next block. */
  mature: { txid: string, index: number }
  /** Alice's coinbase output from the tip: not spendable for `coinbaseMaturity` blocks. */
  immature: { txid: string, index: number }
  reward: number
}

function setup (params = chainParams('test')): Setup {
  const chain = new MemoryChain(params)
  const alice = newKey()
  const bob = newKey()
  const [first] = chain.mine(1, alice)
  chain.mine(params.coinbaseMaturity - 1)
  const [last] = chain.mine(1, alice)
  return { chain, alice, bob, mature: coinbaseOutpoint(first!), immature: coinbaseOutpoint(last!), reward: blockReward(params, 1) }
}

const remerkle = (block: Block): void => { block.header.merkleRoot = merkleRoot(block.txs.map(txid)) }

const rows: Array<{ code: RuleCode, why: string, block: (s: Setup) => Block, params?: ReturnType<typeof chainParams> }> = [
  { code: 'bad-pow', why: 'hash above the target', block: s => unsolve(s.chain.build(), s.chain.params) },
  { code: 'bad-bits', why: 'target not the one the retarget rule demands', block: s => s.chain.build({ bits: 0x2000ffff }) },
  { code: 'bad-bits', why: 'target easier than the chain allows', block: s => s.chain.build({ bits: 0x217fffff }) },
  { code: 'bad-version', why: 'version 0', block: s => s.chain.build({ version: 0 }) },
  { code: 'time-too-old', why: 'time equal to the median of the last 11', block: s => s.chain.build({ time: medianTimePastAt(s.chain.tip, s.chain.ancestry) }) },
  { code: 'time-too-new', why: 'time over two hours ahead of the clock', block: s => s.chain.build({ time: s.chain.now + 2 * 3600 + 1 }) },
  { code: 'bad-merkle-root', why: 'header commits to other transactions', block: s => s.chain.build({ tamper: b => { b.header.merkleRoot = '11'.repeat(32) } }) },
  { code: 'no-coinbase', why: 'no transactions at all', block: s => s.chain.build({ tamper: b => { b.txs = []; remerkle(b) } }) },
  { code: 'no-coinbase', why: 'first transaction is a spend', block: s => s.chain.build({ tamper: b => { b.txs = [spend([s.mature], [{ amount: s.reward, pkh: s.bob.pkh }], s.alice)]; remerkle(b) } }) },
  { code: 'multiple-coinbase', why: 'a second coinbase', block: s => s.chain.build({ tamper: b => { b.txs.push({ ...b.txs[0]!, lockTime: 1 }); remerkle(b) } }) },
  {
    code: 'duplicate-tx',
    why: 'the same transaction twice (same Merkle root as the honest block)',
    block: s => {
      const pay = spend([s.mature], [{ amount: s.reward, pkh: s.bob.pkh }], s.alice)
      return s.chain.build({ txs: [pay, pay] })
    }
  },
  { code: 'bad-coinbase-height', why: 'coinbase names another height', block: s => s.chain.build({ coinbaseHeight: 1 }) },
  { code: 'bad-coinbase-amount', why: 'coinbase pays reward + 1 with no fees', block: s => s.chain.build({ coinbasePays: [{ amount: s.reward + 1, pkh: s.bob.pkh }] }) },
  {
    code: 'bad-coinbase-amount',
    why: 'coinbase claims more than reward + fees',
    block: s => s.chain.build({ txs: [spend([s.mature], [{ amount: s.reward - 100, pkh: s.bob.pkh }], s.alice)], coinbasePays: [{ amount: s.reward + 101, pkh: s.bob.pkh }] })
  },
  { code: 'tx-no-inputs', why: 'a transaction spending nothing', block: s => s.chain.build({ txs: [{ version: 1, inputs: [], outputs: [{ amount: 1, pkh: s.bob.pkh }], lockTime: 0 }] }) },
  { code: 'tx-no-outputs', why: 'a transaction paying nobody', block: s => s.chain.build({ txs: [spend([s.mature], [], s.alice)] }) },
  { code: 'tx-too-large', why: 'a coinbase over 100 000 bytes', block: s => s.chain.build({ coinbasePays: Array.from({ length: 4000 }, () => ({ amount: 0, pkh: s.bob.pkh })) }) },
  {
    code: 'block-too-large',
    why: 'a block over the size limit',
    params: { ...chainParams('test'), maxBlockBytes: 2000 },
    block: s => s.chain.build({ txs: Array.from({ length: 20 }, (_, i) => spend([{ txid: '22'.repeat(32), index: i }], [{ amount: 1, pkh: s.bob.pkh }], s.alice)) })
  },
  { code: 'bad-amount', why: 'an output over the money supply', block: s => s.chain.build({ txs: [spend([s.mature], [{ amount: MAX_MONEY + 1, pkh: s.bob.pkh }], s.alice)] }) },
  { code: 'bad-amount', why: 'a fractional amount', block: s => s.chain.build({ txs: [spend([s.mature], [{ amount: 0.5, pkh: s.bob.pkh }], s.alice)], tamper: () => {} }) },
  {
    code: 'output-total-too-large',
    why: 'outputs that each fit but together exceed the money supply',
    block: s => s.chain.build({ txs: [spend([s.mature], [{ amount: MAX_MONEY, pkh: s.bob.pkh }, { amount: MAX_MONEY, pkh: s.bob.pkh }], s.alice)] })
  },
  { code: 'duplicate-input', why: 'one output spent twice in one transaction', block: s => s.chain.build({ txs: [spend([s.mature, s.mature], [{ amount: 1, pkh: s.bob.pkh }], s.alice)] }) },
  {
    code: 'bad-unlock',
    why: 'an unlock that is not key + signature',
    block: s => {
      const tx = spend([s.mature], [{ amount: 1, pkh: s.bob.pkh }], s.alice)
      tx.inputs[0]!.unlock = tx.inputs[0]!.unlock.slice(0, 100)
      return s.chain.build({ txs: [tx] })
    }
  },
  { code: 'missing-input', why: 'spends an output that never existed', block: s => s.chain.build({ txs: [spend([{ txid: '33'.repeat(32), index: 0 }], [{ amount: 1, pkh: s.bob.pkh }], s.alice)] }) },
  {
    code: 'missing-input',
    why: 'two transactions in one block spend the same output',
    block: s => s.chain.build({ txs: [spend([s.mature], [{ amount: 1, pkh: s.bob.pkh }], s.alice), spend([s.mature], [{ amount: 2, pkh: s.bob.pkh }], s.alice)] })
  },
  { code: 'immature-coinbase-spend', why: 'spends a coinbase output too young', block: s => s.chain.build({ txs: [spend([s.immature], [{ amount: 1, pkh: s.bob.pkh }], s.alice)] }) },
  { code: 'wrong-key', why: "Bob signs for Alice's output", block: s => s.chain.build({ txs: [spend([s.mature], [{ amount: 1, pkh: s.bob.pkh }], s.bob)] }) },
  {
    code: 'bad-signature',
    why: 'an output changed after signing',
    block: s => {
      const tx = spend([s.mature], [{ amount: 1, pkh: s.bob.pkh }], s.alice)
      tx.outputs[0]!.amount = 2
      return s.chain.build({ txs: [tx] })
    }
  },
  { code: 'overspend', why: 'pays more than it spends', block: s => s.chain.build({ txs: [spend([s.mature], [{ amount: s.reward + 1, pkh: s.bob.pkh }], s.alice)] }) }
]

for (const row of rows) {
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
