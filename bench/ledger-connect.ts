// Time to validate and connect blocks of 100 signed transactions into the real LevelDB chain store,
// beside the floor it can't beat from the same run: the Schnorr verifications alone.
// Run: npm run bench:ledger-connect  (BENCH_BLOCKS=1000 for the full thousand; default 100, extrapolated)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { schnorr } from '@noble/curves/secp256k1.js'
import { Chain } from '../p2p/ledger/chain/chain.ts'
import { chainParams, blockReward, coinbaseTx } from '../p2p/ledger/rules/params.ts'
import { blockHash, merkleRoot, txid } from '../p2p/ledger/rules/hash.ts'
import { checkProofOfWork } from '../p2p/ledger/rules/block.ts'
import { newSecretKey, publicKeyOf, pubKeyHash } from '../p2p/ledger/rules/address.ts'
import { sighash, signInput } from '../p2p/ledger/rules/tx.ts'
import type { Block, Transaction } from '../p2p/ledger/rules/codec.ts'

const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 100)
const TXS = 100
const params = chainParams('test')
const secretKey = newSecretKey()
const pkh = pubKeyHash(publicKeyOf(secretKey))

const dir = await mkdtemp(join(tmpdir(), 'ledger-bench-'))
const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
await db.open()
const now = (): number => params.genesisTime + 10_000_000
const chain = await Chain.open(db.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' }), params, now)

function solve (block: Block): Block {
  block.header.merkleRoot = merkleRoot(block.txs.map(txid))
  for (;; block.header.nonce++) { try { checkProofOfWork(block.header, params); return block } catch {} }
}

function nextBlock (txs: Transaction[], coinbaseOutputs = [{ amount: blockReward(params, chain.tip.height + 1), pkh }]): Block {
  const { parent, bits } = chain.nextBlockTemplate()
  return solve({ header: { version: 1, prevHash: parent.hash, merkleRoot: '', time: parent.time + 1, bits, nonce: 0 }, txs: [coinbaseTx(parent.height + 1, coinbaseOutputs), ...txs] })
}

// Setup (not timed): a coinbase with 100 outputs, then enough blocks for it to mature.
const share = Math.floor(blockReward(params, 1) / TXS)
const fanOut = nextBlock([], Array.from({ length: TXS }, () => ({ amount: share, pkh })))
await chain.submit(fanOut)
for (let i = 0; i < params.coinbaseMaturity; i++) await chain.submit(nextBlock([]))

// Build every block first (signing is the sender's cost, not the receiver's), chaining each tx to the last.
let coins = Array.from({ length: TXS }, (_, i) => ({ txid: txid(fanOut.txs[0]!), index: i }))
const blocks: Block[] = []
const heightBefore = chain.tip.height
let parent = chain.tip
for (let b = 0; b < BLOCKS; b++) {
  const txs = coins.map(coin => {
    const tx: Transaction = { version: 1, inputs: [{ prevTxid: coin.txid, prevIndex: coin.index, unlock: '' }], outputs: [{ amount: share, pkh }], lockTime: 0 }
    tx.inputs[0]!.unlock = signInput(tx, 0, secretKey)
    return tx
  })
  const block = solve({ header: { version: 1, prevHash: parent.hash, merkleRoot: '', time: parent.time + 1, bits: params.powLimitBits, nonce: 0 }, txs: [coinbaseTx(parent.height + 1, [{ amount: blockReward(params, parent.height + 1), pkh }]), ...txs] })
  blocks.push(block)
  parent = { ...parent, hash: blockHash(block.header), height: parent.height + 1, time: block.header.time }
  coins = txs.map(tx => ({ txid: txid(tx), index: 0 }))
}

const start = performance.now()
for (const block of blocks) await chain.submit(block)
const connectMs = performance.now() - start
if (chain.tip.height !== heightBefore + BLOCKS) throw new Error(`connected to ${chain.tip.height}, expected ${heightBefore + BLOCKS}`)

// The floor: the same number of signature checks and nothing else.
const sample = blocks[0]!.txs[1]!
const message = sighash(sample, 0)
const signature = Buffer.from(sample.inputs[0]!.unlock.slice(64), 'hex')
const publicKey = publicKeyOf(secretKey)
const verifyStart = performance.now()
for (let i = 0; i < BLOCKS * TXS; i++) schnorr.verify(signature, message, publicKey)
const verifyMs = performance.now() - verifyStart

await db.close()
await rm(dir, { recursive: true, force: true })
const perBlock = connectMs / BLOCKS
console.log(`validate + connect ${BLOCKS} blocks of ${TXS} transactions (real LevelDB):`)
console.log(`  total                         ${(connectMs / 1000).toFixed(2)} s  (${perBlock.toFixed(1)} ms per block)`)
console.log(`  signature checks alone        ${(verifyMs / 1000).toFixed(2)} s  (${(verifyMs / BLOCKS).toFixed(1)} ms per block, ${Math.round(BLOCKS * TXS / (verifyMs / 1000))} verifications/s)`)
console.log(`  everything but signatures     ${((connectMs - verifyMs) / BLOCKS).toFixed(1)} ms per block`)
if (BLOCKS !== 1000) console.log(`  1,000 blocks, extrapolated    ${(perBlock).toFixed(1)} s`)
