// Time to validate and connect blocks of 100 signed transactions into the real LevelDB chain store, in
// two cases from the same run: blocks whose transactions this peer never saw (every signature verified
// at connect), and blocks whose transactions it already admitted to its mempool (their signatures are in
// the signature cache, so connect skips them). Beside them, the floor: the Schnorr verifications alone.
// Run: npm run bench:ledger-connect  (BENCH_BLOCKS=1000 for the full thousand; default 100, extrapolated)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { schnorr } from '@noble/curves/secp256k1.js'
import { Chain } from '../p2p/ledger/chain/chain.ts'
import { Mempool, MIN_RELAY_FEE } from '../p2p/ledger/mempool/mempool.ts'
import { chainParams, blockReward, coinbaseTx } from '../p2p/ledger/rules/params.ts'
import { blockHash, merkleRoot, txid } from '../p2p/ledger/rules/hash.ts'
import { checkProofOfWork } from '../p2p/ledger/rules/block.ts'
import { newSecretKey, publicKeyOf, pubKeyHash } from '../p2p/ledger/rules/address.ts'
import { sighash, signInput } from '../p2p/ledger/rules/tx.ts'
import type { Block, Transaction } from '../p2p/ledger/rules/codec.ts'
import type { ChainEntry } from '../p2p/ledger/chain/store.ts'

const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 100)
const TXS = 100
const params = chainParams('test')
const secretKey = newSecretKey()
const pkh = pubKeyHash(publicKeyOf(secretKey))
const now = (): number => params.genesisTime + 10_000_000
const dirs: string[] = []
const dbs: Array<Level<string, Uint8Array>> = []

async function openChain (): Promise<Chain> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-bench-'))
  const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  dirs.push(dir)
  dbs.push(db)
  return await Chain.open(db.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' }), params, now)
}

function solve (block: Block): Block {
  block.header.merkleRoot = merkleRoot(block.txs.map(txid))
  for (;; block.header.nonce++) { try { checkProofOfWork(block.header, params); return block } catch {} }
}

function child (parent: ChainEntry, txs: Transaction[], coinbaseOutputs = [{ amount: blockReward(params, parent.height + 1), pkh }]): Block {
  return solve({ header: { version: 1, prevHash: parent.hash, merkleRoot: '', time: parent.time + 1, bits: params.powLimitBits, nonce: 0 }, txs: [coinbaseTx(parent.height + 1, coinbaseOutputs), ...txs] })
}

const next = (parent: ChainEntry, block: Block): ChainEntry => ({ ...parent, hash: blockHash(block.header), height: parent.height + 1, time: block.header.time })

// Setup (not timed): a coinbase with 100 outputs, then enough blocks for it to mature.
const cold = await openChain()
const share = Math.floor(blockReward(params, 1) / TXS)
let parent = cold.tip
const setup = [child(parent, [], Array.from({ length: TXS }, () => ({ amount: share, pkh })))]
parent = next(parent, setup[0]!)
for (let i = 0; i < params.coinbaseMaturity; i++) {
  setup.push(child(parent, []))
  parent = next(parent, setup.at(-1)!)
}

// Build every block first (signing is the sender's cost, not the receiver's), chaining each tx to the
// last and paying the mempool's least fee each time.
let coins = Array.from({ length: TXS }, (_, i) => ({ txid: txid(setup[0]!.txs[0]!), index: i, amount: share }))
const blocks: Block[] = []
for (let b = 0; b < BLOCKS; b++) {
  const txs = coins.map(coin => {
    const tx: Transaction = { version: 1, inputs: [{ prevTxid: coin.txid, prevIndex: coin.index, unlock: '' }], outputs: [{ amount: coin.amount - MIN_RELAY_FEE, pkh }], lockTime: 0 }
    tx.inputs[0]!.unlock = signInput(tx, 0, secretKey)
    return tx
  })
  blocks.push(child(parent, txs))
  parent = next(parent, blocks.at(-1)!)
  coins = txs.map(tx => ({ txid: txid(tx), index: 0, amount: tx.outputs[0]!.amount }))
}

async function connectAll (chain: Chain, each: (block: Block) => Promise<void>): Promise<void> {
  for (const block of setup) await chain.submit(block)
  const heightBefore = chain.tip.height
  for (const block of blocks) await each(block)
  if (chain.tip.height !== heightBefore + BLOCKS) throw new Error(`connected to ${chain.tip.height}, expected ${heightBefore + BLOCKS}`)
}

// 1. Never seen: every signature verified when its block connects.
let coldMs = 0
await connectAll(cold, async block => {
  const start = performance.now()
  await cold.submit(block)
  coldMs += performance.now() - start
})

// 2. Gossiped first: the transactions enter the mempool (verified there), then their block connects.
const warm = await openChain()
const mempool = new Mempool(warm, now)
warm.onTipChange(async change => { await mempool.applyTipChange(change) })
let admitMs = 0
let warmMs = 0
await connectAll(warm, async block => {
  const admitStart = performance.now()
  for (const tx of block.txs.slice(1)) await mempool.add(tx)
  const start = performance.now()
  await warm.submit(block)
  warmMs += performance.now() - start
  admitMs += start - admitStart
})
if (warm.signatures.hits < BLOCKS * TXS) throw new Error(`only ${warm.signatures.hits} signatures found in the cache`)

// The floor: the same number of signature checks and nothing else.
const sample = blocks[0]!.txs[1]!
const message = sighash(sample, 0)
const signature = Buffer.from(sample.inputs[0]!.unlock.slice(64), 'hex')
const publicKey = publicKeyOf(secretKey)
const verifyStart = performance.now()
for (let i = 0; i < BLOCKS * TXS; i++) schnorr.verify(signature, message, publicKey)
const verifyMs = performance.now() - verifyStart

for (const db of dbs) await db.close()
for (const dir of dirs) await rm(dir, { recursive: true, force: true })
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`.padStart(9)
const line = (label: string, ms: number): string => `  ${label.padEnd(58)}${seconds(ms)}  (${(ms / BLOCKS).toFixed(1)} ms per block${BLOCKS === 1000 ? '' : `; 1,000 blocks ≈ ${(ms / BLOCKS).toFixed(1)} s`})`
console.log(`validate + connect ${BLOCKS} blocks of ${TXS} transactions (real LevelDB):`)
console.log(line('transactions never seen (every signature verified)', coldMs))
console.log(line('transactions already in the mempool (signature cache)', warmMs))
console.log(line('  their admission to the mempool, as they arrived', admitMs))
console.log(line('signature checks alone (the floor of the first line)', verifyMs))
console.log(`  Schnorr verifications per second: ${Math.round(BLOCKS * TXS / (verifyMs / 1000))}; connect speed-up with the cache ×${(coldMs / warmMs).toFixed(1)}`)
