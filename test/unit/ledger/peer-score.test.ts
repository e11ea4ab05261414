// Ban scores: a peer is banned when its score reaches the threshold; the ban survives a restart (it is in
// the real LevelDB) until it runs out; scores below the threshold don't.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { BAN_MS, BAN_THRESHOLD, PeerScores, levelBanStore } from '../../../p2p/ledger/sync/peer-score.ts'
import type { LedgerDb } from '../../../p2p/ledger/chain/store.ts'

async function withDisk (t: { after: (fn: () => Promise<void>) => void }): Promise<{ open: () => Promise<{ db: LedgerDb, close: () => Promise<void> }> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-bans-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return {
    open: async () => {
      const level = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
      await level.open()
      return { db: level.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' }), close: async () => { await level.close() } }
    }
  }
}

test('a peer is banned when its score reaches the threshold, and not for policy refusals', async () => {
  const scores = new PeerScores(() => 0)
  assert.equal(await scores.penalize('p', 0), false)
  assert.equal(await scores.penalize('p', BAN_THRESHOLD - 1), false)
  assert.equal(scores.isBanned('p'), false)
  assert.equal(await scores.penalize('p', 1), true)
  assert.equal(scores.isBanned('p'), true)
})

test('a ban survives a restart until it runs out; a score below the threshold does not', async (t) => {
  const disk = await withDisk(t)
  let clock = 1_000_000
  const first = await disk.open()
  const scores = await PeerScores.open(levelBanStore(first.db), () => clock)
  assert.equal(await scores.penalize('liar', BAN_THRESHOLD), true)
  await scores.penalize('clumsy', BAN_THRESHOLD / 2)
  await first.close()

  clock += BAN_MS - 1
  const second = await disk.open()
  const reopened = await PeerScores.open(levelBanStore(second.db), () => clock)
  assert.equal(reopened.isBanned('liar'), true, 'still banned after the restart')
  assert.equal(reopened.score('clumsy'), 0)
  assert.equal(reopened.isBanned('clumsy'), false)
  await second.close()

  clock += 2
  const third = await disk.open()
  const later = await PeerScores.open(levelBanStore(third.db), () => clock)
  assert.equal(later.isBanned('liar'), false, 'the ban ran out')
  assert.deepEqual(await levelBanStore(third.db).load(), [], 'and is gone from disk')
  await third.close()
})
