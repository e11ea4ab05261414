// kill -9 while blocks are being connected: after restart the chain, the unspent outputs and the
// balance agree (every block's reward is in the wallet exactly once), and mining carries on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { eventually } from '../support/peer-process.ts'
import { startLedgerPeer, chainOf, walletOf, mine } from './ledger-helpers.ts'

const NETWORK = 'test-ledger-crash'
const HALVING = 150
const rewardAt = (height: number): number => Math.floor(50 * 100_000_000 / 2 ** Math.floor(height / HALVING))

test('kill -9 during block connection leaves chain, coins and balance consistent after restart', async () => {
  let peer = await startLedgerPeer(NETWORK)
  const dataDir = peer.dataDir
  try {
    for (let round = 0; round < 2; round++) {
      const from = (await chainOf(peer)).height
      await peer.api('/api/mining', { body: { enabled: true, threads: 1, blocks: 5000 } })
      await eventually('mining under way', async () => (await chainOf(peer)).height, h => h >= from + 20, 30_000)
      await new Promise(resolve => setTimeout(resolve, Math.floor(Math.random() * 300)))
      await peer.kill()

      peer = await startLedgerPeer(NETWORK, { dataDir })
      const { height } = await chainOf(peer)
      assert.ok(height >= from + 20, `kept the acknowledged blocks (height ${height})`)
      const wallet = await walletOf(peer)
      let expected = 0
      for (let h = 1; h <= height; h++) expected += rewardAt(h)
      assert.equal(wallet.balance.confirmed + wallet.balance.immature, expected, 'every connected block pays the wallet once')
      assert.equal(wallet.history.length, height)
      assert.deepEqual(wallet.history.map(p => p.confirmations), Array.from({ length: height }, (_, i) => i + 1))
    }
    const { height } = await chainOf(peer)
    assert.equal((await mine(peer, 2)).height, height + 2)
  } finally {
    await peer.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
