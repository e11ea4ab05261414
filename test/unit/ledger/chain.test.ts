// The chain on a real LevelDB: connect, fork choice by work, reorgs that move coins back, orphans,
// invalid branches, and reopening without replay.
import { test, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { Chain, type TipChange } from '../../../p2p/ledger/chain/chain.ts'
import type { LedgerDb } from '../../../p2p/ledger/chain/store.ts'
import { chainParams, blockReward, genesisHash, type ChainParams } from '../../../p2p/ledger/rules/params.ts'
import { blockHash, txid } from '../../../p2p/ledger/rules/hash.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { encodeBlock, type Block } from '../../../p2p/ledger/rules/codec.ts'
import { buildBlock, coinbaseOutpoint, newKey, spend, type BlockOptions, type Key } from './block-builder.ts'

const opened: Array<Level<string, Uint8Array>> = []
const dirs: string[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close()
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function openDb (dir?: string): Promise<{ dir: string, db: Level<string, Uint8Array>, ledger: LedgerDb }> {
  const path = dir ?? await mkdtemp(join(tmpdir(), 'ledger-chain-'))
  if (dir === undefined) dirs.push(path)
  const db = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  opened.push(db)
  return { dir: path, db, ledger: db.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' }) }
}

async function openChain (params: ChainParams = chainParams('test')): Promise<{ chain: Chain, dir: string, db: Level<string, Uint8Array> }> {
  const { dir, db, ledger } = await openDb()
  return { chain: await Chain.open(ledger, params, () => params.genesisTime + 1_000_000), dir, db }
}

/** Builds and submits `count` blocks on `parent` (default: the tip), returning them. */
async function extend (chain: Chain, count: number, options: BlockOptions & { parent?: string } = {}, pays?: Key): Promise<Block[]> {
  const blocks: Block[] = []
  let parent = options.parent ?? chain.tip.hash
  for (let i = 0; i < count; i++) {
    const block = buildBlock(chain.params, chain.entry(parent)!, chain.ancestry, { ...options, time: options.time === undefined ? undefined : chain.entry(parent)!.time + options.time }, pays)
    await chain.submit(block)
    blocks.push(block)
    parent = blockHash(block.header)
  }
  return blocks
}

const sum = (coins: Array<{ coin: { amount: number } }>): number => coins.reduce((s, c) => s + c.coin.amount, 0)

test('a fresh chain starts at its genesis; mined blocks connect and pay their miner', async () => {
  const { chain } = await openChain()
  assert.equal(chain.tip.height, 0)
  const miner = newKey()
  const blocks = await extend(chain, 5, {}, miner)
  assert.equal(chain.tip.height, 5)
  // Stored as joined from the encodings its txids were hashed from: the same bytes as encoding it whole.
  assert.deepEqual(encodeBlock((await chain.getBlock(chain.tip.hash))!), encodeBlock(blocks.at(-1)!))
  assert.deepEqual(await chain.getBlock(chain.tip.hash), blocks.at(-1))
  assert.equal(sum(await chain.coinsOf(miner.pkh)), 5 * blockReward(chain.params, 1))
  assert.equal((await chain.historyOf(miner.pkh)).length, 5)
})

test('a heavier branch wins over a longer one, and the reorg returns spent coins and drops the losing outputs', async () => {
  // Retargeting each block from a 2-block window: a branch of fast blocks gets harder, so more work per block.
  const params: ChainParams = { ...chainParams('test'), noRetarget: false, retargetWindow: 2, targetSpacing: 600 }
  const { chain } = await openChain(params)
  const alice = newKey()
  const bob = newKey()
  const [first] = await extend(chain, 1, { time: 600 }, alice)
  await extend(chain, params.coinbaseMaturity, { time: 600 })
  const fork = chain.tip.hash
  const pay = spend([coinbaseOutpoint(first!)], [{ amount: 10, pkh: bob.pkh }], alice)
  const changes: TipChange[] = []
  chain.onTipChange(change => { changes.push(change) })

  const light = await extend(chain, 1, { time: 600, txs: [pay] })
  await extend(chain, 9, { time: 600 })
  assert.equal(sum(await chain.coinsOf(bob.pkh)), 10)
  const lightTip = chain.tip

  const heavy: Block[] = []
  while (chain.tip.hash === lightTip.hash) {
    heavy.push(...await extend(chain, 1, { time: 1, parent: heavy.length === 0 ? fork : blockHash(heavy.at(-1)!.header) }))
  }
  assert.ok(chain.tip.height < lightTip.height, `the heavy tip (${chain.tip.height}) is lower than the light one (${lightTip.height})`)
  assert.ok(chain.tip.chainWork > lightTip.chainWork)
  assert.equal(chain.tip.hash, blockHash(heavy.at(-1)!.header))
  assert.equal(sum(await chain.coinsOf(bob.pkh)), 0, "bob's payment left with its branch")
  assert.equal((await chain.coin(`${txid(first!.txs[0]!)}:0`))?.amount, blockReward(params, 1), "alice's coin is unspent again")
  assert.deepEqual((await chain.historyOf(bob.pkh)), [])
  const reorg = changes.at(-1)!
  assert.equal(reorg.disconnected.length, 10)
  assert.equal(blockHash(reorg.disconnected.at(-1)!.header), blockHash(light[0]!.header), 'disconnected tip first')
  assert.ok(!chain.isOnMainChain(lightTip.hash))
  assert.ok(chain.entry(lightTip.hash) !== undefined, 'the side branch stays known')

  // Blocks on the new tip see the coins as the reorg left them (the chain's cache of recent coins too):
  // bob's coin is gone with its branch, alice's is back.
  const bobSpends = spend([{ txid: txid(pay), index: 0 }], [{ amount: 5, pkh: bob.pkh }], bob)
  await assert.rejects(extend(chain, 1, { time: 600, txs: [bobSpends] }), (err: unknown) => err instanceof RuleError && err.code === 'missing-input')
  await extend(chain, 1, { time: 600, txs: [spend([coinbaseOutpoint(first!)], [{ amount: 20, pkh: bob.pkh }], alice)] })
  assert.equal(sum(await chain.coinsOf(bob.pkh)), 20)
})

test('an equal-work branch does not replace the tip: the first seen wins', async () => {
  const { chain } = await openChain()
  await extend(chain, 2)
  const tip = chain.tip.hash
  const result = await chain.submit(buildBlock(chain.params, chain.entry(chain.tip.parent)!, chain.ancestry, { extra: Uint8Array.of(1) }))
  assert.equal(result.status, 'side-branch')
  assert.equal(chain.tip.hash, tip)
})

test('orphans wait for their parent, ask for the missing ancestor, then connect in order', async () => {
  const { chain: source } = await openChain()
  const blocks = await extend(source, 3)
  const { chain } = await openChain()
  assert.deepEqual(await chain.submit(blocks[2]!), { status: 'orphan', hash: blockHash(blocks[2]!.header), missing: blockHash(blocks[1]!.header) })
  assert.deepEqual(await chain.submit(blocks[1]!), { status: 'orphan', hash: blockHash(blocks[1]!.header), missing: blockHash(blocks[0]!.header) })
  assert.equal(chain.orphanCount, 2)
  assert.equal((await chain.submit(blocks[0]!)).status, 'connected')
  assert.equal(chain.tip.hash, source.tip.hash)
  assert.equal(chain.orphanCount, 0)
})

test('a block whose spend is invalid is refused on connect, marked, and its descendants refused too', async () => {
  const { chain } = await openChain()
  const alice = newKey()
  await extend(chain, 2)
  const tip = chain.tip.hash
  const bad = buildBlock(chain.params, chain.tip, chain.ancestry, { txs: [spend([{ txid: 'ab'.repeat(32), index: 0 }], [{ amount: 1, pkh: alice.pkh }], alice)] })
  await assert.rejects(chain.submit(bad), (err: unknown) => err instanceof RuleError && err.code === 'missing-input')
  assert.equal(chain.tip.hash, tip)
  const child = buildBlock(chain.params, chain.entry(blockHash(bad.header))!, chain.ancestry)
  await assert.rejects(chain.submit(child), (err: unknown) => err instanceof RuleError && err.code === 'invalid-ancestor')
  await assert.rejects(chain.submit(bad), (err: unknown) => err instanceof RuleError && err.code === 'missing-input')
  assert.equal(chain.tip.hash, tip)
  await extend(chain, 1)
  assert.equal(chain.tip.height, 3)
})

test('a block with a broken header or body is not stored at all', async () => {
  const { chain } = await openChain()
  await extend(chain, 1)
  const bad = buildBlock(chain.params, chain.tip, chain.ancestry, { tamper: b => { b.header.merkleRoot = '00'.repeat(32) } })
  await assert.rejects(chain.submit(bad), (err: unknown) => err instanceof RuleError && err.code === 'bad-merkle-root')
  assert.equal(chain.entry(blockHash(bad.header)), undefined)
  assert.equal(await chain.getBlock(blockHash(bad.header)), undefined)
})

test('reopened, the chain has the same tip, side branches, coins and history, without replaying blocks', async () => {
  const params = chainParams('test')
  const { dir, db, ledger } = await openDb()
  const chain = await Chain.open(ledger, params, () => params.genesisTime + 1_000_000)
  const miner = newKey()
  await extend(chain, 6, {}, miner)
  await extend(chain, 1, { parent: chain.tip.parent, extra: Uint8Array.of(9) })
  const before = { tip: chain.tip.hash, coins: await chain.coinsOf(miner.pkh), history: await chain.historyOf(miner.pkh), recent: chain.recentEntries(10).length }
  await db.close()
  opened.splice(opened.indexOf(db), 1)
  const again = await openDb(dir)
  const reopened = await Chain.open(again.ledger, params, () => params.genesisTime + 1_000_000)
  assert.equal(reopened.tip.hash, before.tip)
  assert.deepEqual(await reopened.coinsOf(miner.pkh), before.coins)
  assert.deepEqual(await reopened.historyOf(miner.pkh), before.history)
  assert.equal(reopened.recentEntries(10).length, before.recent)
  await extend(reopened, 1)
  assert.equal(reopened.tip.height, 7)
})

test('headers-first catch-up: the locator finds the fork and headersAfter returns the rest of the main chain', async () => {
  const { chain } = await openChain()
  await extend(chain, 30)
  const locator = chain.locator()
  assert.equal(locator[0], chain.tip.hash)
  assert.equal(locator.at(-1), chain.genesisHash)
  const { chain: behind } = await openChain()
  const headers = chain.headersAfter(behind.locator(), 10)
  assert.equal(headers.length, 10)
  assert.equal(headers[0]!.prevHash, chain.genesisHash)
  assert.deepEqual(chain.headersAfter(['ff'.repeat(32), chain.tip.hash], 10), [])
})

test('a store holding another chain (another genesis, as the Schnorr chain\'s) is cleared on open, said so, and the chain starts at its own genesis', async () => {
  const params = chainParams('test')
  // The same name with another genesis stands for the chain of the old signature scheme.
  const other = { ...params, genesisTime: params.genesisTime - 1 }
  const { dir, db, ledger } = await openDb()
  const old = await Chain.open(ledger, other, () => params.genesisTime + 1_000_000)
  const miner = newKey()
  await extend(old, 3, {}, miner)
  await db.close()
  opened.splice(opened.indexOf(db), 1)
  const again = await openDb(dir)
  const said: string[] = []
  const chain = await Chain.open(again.ledger, params, () => params.genesisTime + 1_000_000, message => { said.push(message) })
  assert.equal(chain.tip.height, 0)
  assert.equal(chain.genesisHash, genesisHash(params))
  assert.deepEqual(await chain.coinsOf(miner.pkh), [], 'none of the other chain\'s coins remain')
  assert.equal(said.length, 1)
  assert.match(said[0]!, /cleared/)
  await extend(chain, 2)
  assert.equal(chain.tip.height, 2)
})
