// Ban scores (one per peer, shared by every protocol): a peer is banned when its score reaches the threshold; the ban survives a restart (it is in
// the real LevelDB) until it runs out; scores below the threshold don't.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import type { AbstractSublevel } from 'abstract-level'
import { BAN_MS, BAN_THRESHOLD, PeerScores, SCORE_DECAY_MS, levelBanStore } from '../../p2p/node/peer-score.ts'

type BanDb = AbstractSublevel<any, any, string, Uint8Array>

async function withDisk (t: { after: (fn: () => Promise<void>) => void }): Promise<{ open: () => Promise<{ db: BanDb, close: () => Promise<void> }> }> {
  const dir = await mkdtemp(join(tmpdir(), 'peer-bans-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return {
    open: async () => {
      const level = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
      await level.open()
      return { db: level.sublevel<string, Uint8Array>('peers', { valueEncoding: 'view' }), close: async () => { await level.close() } }
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

test('a score fades a point a minute, so rare faults never add up to a ban', async () => {
  let clock = 0
  const scores = new PeerScores(() => clock)
  await scores.penalize('slow', 10)
  clock += 4 * SCORE_DECAY_MS
  assert.equal(scores.score('slow'), 6)
  clock += 10 * SCORE_DECAY_MS
  assert.equal(scores.score('slow'), 0)
  assert.equal(await scores.penalize('slow', BAN_THRESHOLD - 1), false)
})
