// The miner finds blocks on worker threads, restarts on a new tip, and leaves the event loop free.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Miner } from '../../../p2p/ledger/miner/miner.ts'
import { blockTemplate } from '../../../p2p/ledger/miner/template.ts'
import { bitsToTarget, hashToBigInt } from '../../../p2p/ledger/rules/target.ts'
import { openTestLedger, removeLedger } from './ledger-harness.ts'
import { decodeAddress } from '../../../p2p/ledger/rules/address.ts'

test('mining on one worker thread extends the chain, restarts on each tip, and never blocks the event loop', async () => {
  const ledger = await openTestLedger()
  let worstLagMs = 0
  let last = performance.now()
  const ticker = setInterval(() => { const now = performance.now(); worstLagMs = Math.max(worstLagMs, now - last - 5); last = now }, 5)
  const miner = new Miner({
    template: () => {
      const { parent, bits, minTime } = ledger.chain.nextBlockTemplate()
      return blockTemplate({ parent, bits, minTime, waiting: ledger.mempool.entries(), payTo: decodeAddress(ledger.wallet.address), now: parent.time + 1, extra: randomBytes(8) }, ledger.chain.params)
    },
    submit: async block => { await ledger.chain.submit(block) },
    onError: err => { throw err },
    paceMs: 0
  })
  ledger.chain.onTipChange(() => { miner.restart() })
  try {
    await miner.configure(true, 1)
    assert.equal(miner.enabled, true)
    const deadline = Date.now() + 20_000
    while (ledger.chain.tip.height < 5 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    assert.ok(ledger.chain.tip.height >= 5, `mined to height ${ledger.chain.tip.height}`)
    // Bound generous for a shared 2-core machine: a hashing main thread would stall for seconds.
    assert.ok(worstLagMs < 500, `event loop stalled ${worstLagMs} ms`)
    await miner.configure(false)
    assert.equal(miner.enabled, false)
    const height = ledger.chain.tip.height
    await new Promise(resolve => setTimeout(resolve, 200))
    assert.ok(ledger.chain.tip.height <= height + 1, 'stopped mining stops extending the chain')
    const { immature, confirmed } = await ledger.wallet.balance()
    assert.ok(immature + confirmed > 0)
    assert.ok(hashToBigInt(ledger.chain.tip.hash) <= bitsToTarget(ledger.chain.tip.bits))
  } finally {
    clearInterval(ticker)
    await miner.stop()
    await removeLedger(ledger)
  }
})
