// Time to validate and connect blocks of 100 signed transactions into the real LevelDB chain store, in
// two cases from the same run: blocks whose transactions this peer never saw (every signature verified
// at connect), and blocks whose transactions it already admitted to its mempool (their signatures are in
// the signature cache, so connect skips them). Beside them, the floor: the Ed25519 verifications alone,
// and those of the BIP340 Schnorr scheme the chain used before. CPU time of the process (all its
// threads) is the per-core figure; on this shared machine wall time mostly measures the neighbours.
// Run: npm run bench:ledger-connect  (BENCH_BLOCKS=1000 for the full thousand; default 100, extrapolated)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { Chain } from '../p2p/ledger/chain/chain.ts'
import { Mempool, MIN_RELAY_FEE } from '../p2p/ledger/mempool/mempool.ts'
import { chainParams, blockReward, coinbaseTx } from '../p2p/ledger/rules/params.ts'
import { blockHash, merkleRoot, txid } from '../p2p/ledger/rules/hash.ts'
import { checkProofOfWork } from '../p2p/ledger/rules/block.ts'
import { newSecretKey, publicKeyOf, pubKeyHash } from '../p2p/ledger/rules/address.ts'
import { schnorr } from '@noble/curves/secp256k1.js'
import { sighash, signInput } from '../p2p/ledger/rules/tx.ts'
import { verifySignature } from '../p2p/ledger/rules/signature.ts'
import type { Block, Transaction } from '../p2p/ledger/rules/codec.ts'
import type { ChainEntry } from '../p2p/ledger/chain/store.ts'

const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 100)
const TXS = 100
const params = chainParams('test')
// One wallet per lane of transactions, each paying itself on and on: 100 keys, each seen again in every
// block (as a wallet keeps its one key), so the verifier's cache of imported keys helps as it would.
const secretKeys = Array.from({ length: TXS }, () => newSecretKey())
const pkhs = secretKeys.map(key => pubKeyHash(publicKeyOf(key)))
const minerPkh = pkhs[0]!
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

function child (parent: ChainEntry, txs: Transaction[], coinbaseOutputs = [{ amount: blockReward(params, parent.height + 1), pkh: minerPkh }]): Block {
  return solve({ header: { version: 1, prevHash: parent.hash, merkleRoot: '', time: parent.time + 1, bits: params.powLimitBits, nonce: 0 }, txs: [coinbaseTx(parent.height + 1, coinbaseOutputs), ...txs] })
}

const next = (parent: ChainEntry, block: Block): ChainEntry => ({ ...parent, hash: blockHash(block.header), height: parent.height + 1, time: block.header.time })

// Setup (not timed): a coinbase with 100 outputs, then enough blocks for it to mature.
const coldChain = await openChain()
const share = Math.floor(blockReward(params, 1) / TXS)
let parent = coldChain.tip
const setup = [child(parent, [], pkhs.map(owner => ({ amount: share, pkh: owner })))]
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
  const txs = coins.map((coin, lane) => {
    const tx: Transaction = { version: 1, inputs: [{ prevTxid: coin.txid, prevIndex: coin.index, unlock: '' }], outputs: [{ amount: coin.amount - MIN_RELAY_FEE, pkh: pkhs[lane]! }], lockTime: 0 }
    tx.inputs[0]!.unlock = signInput(tx, 0, secretKeys[lane]!, params)
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

/** Wall time and this process's CPU time (all its threads: LevelDB works off the main one), summed over calls. */
class Stopwatch {
  wallMs = 0
  cpuMs = 0
  async time<T> (run: () => Promise<T> | T): Promise<T> {
    const wall = performance.now()
    const cpu = process.cpuUsage()
    try {
      return await run()
    } finally {
      const used = process.cpuUsage(cpu)
      this.cpuMs += (used.user + used.system) / 1000
      this.wallMs += performance.now() - wall
    }
  }
}

// 1. Never seen: every signature verified when its block connects.
const cold = new Stopwatch()
await connectAll(coldChain, async block => { await cold.time(async () => await coldChain.submit(block)) })

// 2. Gossiped first: the transactions enter the mempool (verified there), then their block connects.
const warmChain = await openChain()
const mempool = new Mempool(warmChain, now)
warmChain.onTipChange(async change => { await mempool.applyTipChange(change) })
const admit = new Stopwatch()
const warm = new Stopwatch()
await connectAll(warmChain, async block => {
  await admit.time(async () => { for (const tx of block.txs.slice(1)) await mempool.add(tx) })
  await warm.time(async () => await warmChain.submit(block))
})
if (warmChain.signatures.hits < BLOCKS * TXS) throw new Error(`only ${warmChain.signatures.hits} signatures found in the cache`)

// The floor: the same number of signature checks and nothing else; and the scheme the chain used
// before, BIP340 Schnorr through @noble/curves, timed on a sample and scaled up.
const sample = blocks[0]!.txs[1]!
const message = sighash(sample, 0, params)
const signature = Buffer.from(sample.inputs[0]!.unlock.slice(64), 'hex')
const publicKey = publicKeyOf(secretKeys[0]!)
const floor = new Stopwatch()
await floor.time(() => { for (let i = 0; i < BLOCKS * TXS; i++) verifySignature(signature, message, publicKey) })
const SCHNORR_SAMPLE = 500
const schnorrKey = schnorr.utils.randomSecretKey()
const schnorrSignature = schnorr.sign(message, schnorrKey)
const schnorrPublic = schnorr.getPublicKey(schnorrKey)
const schnorrFloor = new Stopwatch()
await schnorrFloor.time(() => { for (let i = 0; i < SCHNORR_SAMPLE; i++) schnorr.verify(schnorrSignature, message, schnorrPublic) })
const scale = BLOCKS * TXS / SCHNORR_SAMPLE
schnorrFloor.cpuMs *= scale
schnorrFloor.wallMs *= scale

for (const db of dbs) await db.close()
for (const dir of dirs) await rm(dir, { recursive: true, force: true })
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`.padStart(9)
const perThousand = (ms: number): string => BLOCKS === 1000 ? '' : `; 1,000 blocks ≈ ${(ms / BLOCKS).toFixed(1)} s`
const line = (label: string, t: Stopwatch): string =>
  `  ${label.padEnd(58)}${seconds(t.cpuMs)} CPU${seconds(t.wallMs)} wall  (${(t.cpuMs / BLOCKS).toFixed(1)} ms CPU per block${perThousand(t.cpuMs)})`
console.log(`validate + connect ${BLOCKS} blocks of ${TXS} transactions (real LevelDB); CPU time is the per-core figure, wall time shows the machine's load:`)
console.log(line('transactions never seen (every signature verified)', cold))
console.log(line('transactions already in the mempool (signature cache)', warm))
console.log(line('  their admission to the mempool, as they arrived', admit))
console.log(line('Ed25519 signature checks alone (node:crypto)', floor))
console.log(line(`BIP340 Schnorr checks alone (@noble/curves, ${SCHNORR_SAMPLE} timed)`, schnorrFloor))
const perCore = BLOCKS * TXS / (cold.cpuMs / 1000)
console.log(`  never-seen transactions validated per CPU-second: ${Math.round(perCore)} (target ≥ 5,000); Ed25519 verifications per CPU-second: ${Math.round(BLOCKS * TXS / (floor.cpuMs / 1000))}; connect speed-up with the cache ×${(cold.cpuMs / warm.cpuMs).toFixed(1)}`)
