// Every reason the rules can give — each code of the RuleCode union in rules/codes.ts, consensus and
// mempool policy — has a block or transaction breaking just that rule. The block rows (rule-cases.ts) run
// in block-rules.test.ts; the codes that need the real chain store (invalid-ancestor), the decoder
// (malformed) or the mempool (policy) are broken here, each asserting the code it gets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CONSENSUS_BAN_SCORE, POLICY_BAN_SCORE, RuleError, type RuleCode } from '../../../p2p/ledger/rules/codes.ts'
import { decodeTx, encodeTx } from '../../../p2p/ledger/rules/codec.ts'
import { blockHash, txid } from '../../../p2p/ledger/rules/hash.ts'
import { Mempool, MIN_RELAY_FEE } from '../../../p2p/ledger/mempool/mempool.ts'
import { buildBlock, spend, type Key } from './block-builder.ts'
import { mineMany, openTestLedger, removeLedger, type OpenLedger } from './ledger-harness.ts'
import { blockRuleRows } from './rule-cases.ts'

const ALL_CODES = [...Object.keys(CONSENSUS_BAN_SCORE), ...Object.keys(POLICY_BAN_SCORE)] as RuleCode[]

interface Funded { ledger: OpenLedger, key: Key, coin: { txid: string, index: number, amount: number } }

/** A ledger whose wallet owns one coinbase output spendable in the next block. */
async function funded (): Promise<Funded> {
  const ledger = await openTestLedger()
  const key = { secretKey: ledger.keys.secretKey(), pkh: ledger.keys.requirePkh() }
  const [first] = await mineMany(ledger, ledger.chain.params.coinbaseMaturity, key.pkh)
  const coinbase = first!.txs[0]!
  return { ledger, key, coin: { txid: txid(coinbase), index: 0, amount: coinbase.outputs[0]!.amount } }
}

/** A valid payment of the funded coin back to its owner, paying `fee`. */
const payment = ({ key, coin }: Funded, fee = 200) => spend([coin], [{ amount: coin.amount - fee, pkh: key.pkh }], key)

/** Breaks one rule; resolves to what was thrown. */
type Breaker = (f: Funded) => Promise<unknown>

const caught = async (run: () => unknown): Promise<unknown> => {
  try {
    await run()
  } catch (err) {
    return err
  }
  return undefined
}

/** The codes no block row breaks, each with the one case that breaks just it. */
const otherCases: Partial<Record<RuleCode, { why: string, breakIt: Breaker }>> = {
  malformed: {
    why: 'a transaction with a byte after its end',
    breakIt: async f => await caught(() => decodeTx(Buffer.concat([encodeTx(payment(f)), Buffer.of(0)])))
  },
  'invalid-ancestor': {
    why: 'a valid block on a parent that failed on connect',
    breakIt: async ({ ledger, key, coin }) => {
      const { chain } = ledger
      const forged = spend([coin], [{ amount: 1, pkh: key.pkh }], key)
      forged.outputs[0]!.amount = 2
      const parent = buildBlock(chain.params, chain.tip, chain.ancestry, { txs: [forged] })
      const refused = await caught(async () => await chain.submit(parent))
      assert.equal((refused as RuleError).code, 'bad-signature')
      const parentEntry = { ...chain.tip, hash: blockHash(parent.header), parent: chain.tip.hash, height: chain.tip.height + 1, time: parent.header.time }
      return await caught(async () => await chain.submit(buildBlock(chain.params, parentEntry, chain.ancestry)))
    }
  },
  'coinbase-outside-block': {
    why: 'a coinbase sent on its own',
    breakIt: async ({ ledger }) => await caught(async () => await ledger.mempool.add((await ledger.chain.getBlock(ledger.chain.tip.hash))!.txs[0]!))
  },
  'already-known': {
    why: 'the same transaction twice',
    breakIt: async f => {
      const tx = payment(f)
      await f.ledger.mempool.add(tx)
      return await caught(async () => await f.ledger.mempool.add(tx))
    }
  },
  'mempool-conflict': {
    why: 'a second spend of an output a waiting transaction spends',
    breakIt: async f => {
      await f.ledger.mempool.add(payment(f, 200))
      return await caught(async () => await f.ledger.mempool.add(payment(f, 300)))
    }
  },
  'fee-too-low': {
    why: 'a fee one unit under the least this peer relays',
    breakIt: async f => await caught(async () => await f.ledger.mempool.add(payment(f, MIN_RELAY_FEE - 1)))
  },
  'mempool-full': {
    why: 'a transaction larger than the room the mempool has',
    breakIt: async f => await caught(async () => await new Mempool(f.ledger.chain, () => 0, { maxBytes: 10 }).add(payment(f)))
  },
  'missing-input-mempool': {
    why: 'a spend of an output this peer has never seen',
    breakIt: async f => await caught(async () => await f.ledger.mempool.add(spend([{ txid: '44'.repeat(32), index: 0 }], [{ amount: 1000, pkh: f.key.pkh }], f.key)))
  }
}

test('every rule code has a block or transaction that breaks just that rule', () => {
  const covered = new Set<string>([...blockRuleRows.map(row => row.code), ...Object.keys(otherCases)])
  assert.deepEqual(ALL_CODES.filter(code => !covered.has(code)), [], 'rule codes with no breaking case')
  assert.deepEqual([...covered].filter(code => !(ALL_CODES as string[]).includes(code)), [], 'cases for codes the rules do not have')
})

for (const [code, { why, breakIt }] of Object.entries(otherCases)) {
  test(`rejected(${code}): ${why}`, async () => {
    const f = await funded()
    try {
      const err = await breakIt(f)
      assert.ok(err instanceof RuleError, `expected a RuleError, got ${String(err)}`)
      assert.equal(err.code, code, err.message)
    } finally {
      await removeLedger(f.ledger)
    }
  })
}
