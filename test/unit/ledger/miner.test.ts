// The hash kernel agrees with node:crypto; the miner finds blocks on worker threads, restarts on a
// new tip, and leaves the event loop free.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { kernelHash, searchNonces, targetWords } from '../../../p2p/ledger/miner/sha256d-kernel.ts'
import { Miner } from '../../../p2p/ledger/miner/miner.ts'
import { blockTemplate } from '../../../p2p/ledger/miner/template.ts'
import { bitsToTarget, hashToBigInt } from '../../../p2p/ledger/rules/target.ts'
import { openTestLedger, removeLedger } from './ledger-harness.ts'
import { decodeAddress } from '../../../p2p/ledger/rules/address.ts'

const sha256d = (data: Uint8Array): Buffer => createHash('sha256').update(createHash('sha256').update(data).digest()).digest()

test('the midstate kernel computes the same double SHA-256 as node:crypto', () => {
  for (let i = 0; i < 50; i++) {
    const header = randomBytes(80)
    const nonce = header.readUInt32LE(76)
    assert.equal(Buffer.from(kernelHash(header, nonce)).toString('hex'), sha256d(header).toString('hex'))
  }
})

test('the kernel finds the first nonce under the target, as a brute force with node:crypto does', () => {
  const header = randomBytes(80)
  const target = (1n << 248n) - 1n
  let expected = -1
  for (let nonce = 0; nonce < 5000 && expected < 0; nonce++) {
    header.writeUInt32LE(nonce, 76)
    if (hashToBigInt(sha256d(header).toString('hex')) <= target) expected = nonce
  }
  assert.ok(expected >= 0)
  assert.equal(searchNonces(header, targetWords(target), 0, 5000), expected)
  assert.equal(searchNonces(header, targetWords(target), expected + 1, expected + 1), -1)
})

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
