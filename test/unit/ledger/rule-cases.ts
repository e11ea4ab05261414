// One block per consensus rule it breaks, built on a valid chain: block-rules.test.ts runs each row,
// rule-coverage.test.ts checks that every rule code has a row or a case of its own.
import { MemoryChain, newKey, spend, coinbaseOutpoint, unsolve, type Key } from './block-builder.ts'
import type { RuleCode } from '../../../p2p/ledger/rules/codes.ts'
import type { Block } from '../../../p2p/ledger/rules/codec.ts'
import { merkleRoot, txid } from '../../../p2p/ledger/rules/hash.ts'
import { blockReward, chainParams, MAX_MONEY } from '../../../p2p/ledger/rules/params.ts'
import { medianTimePastAt } from '../../../p2p/ledger/rules/header-chain.ts'

export interface Setup {
  chain: MemoryChain
  alice: Key
  bob: Key
  /** Alice's coinbase output, mature at the next block. */
  mature: { txid: string, index: number }
  /** Alice's coinbase output from the tip: not spendable for `coinbaseMaturity` blocks. */
  immature: { txid: string, index: number }
  reward: number
}

export function setup (params = chainParams('test')): Setup {
  const chain = new MemoryChain(params)
  const alice = newKey()
  const bob = newKey()
  const [first] = chain.mine(1, alice)
  chain.mine(params.coinbaseMaturity - 1)
  const [last] = chain.mine(1, alice)
  return { chain, alice, bob, mature: coinbaseOutpoint(first!), immature: coinbaseOutpoint(last!), reward: blockReward(params, 1) }
}

const remerkle = (block: Block): void => { block.header.merkleRoot = merkleRoot(block.txs.map(txid)) }

export interface BlockRuleRow { code: RuleCode, why: string, block: (s: Setup) => Block, params?: ReturnType<typeof chainParams> }

export const blockRuleRows: BlockRuleRow[] = [
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
