// The rules that differ between chains, and each chain's genesis block (its identity: chains whose
// genesis differs never mix). `test` chains: proof of work of about two hashes, no retarget, short maturity.
import { NULL_HASH, type Block, type Transaction } from './codec.ts'
import { blockHash, merkleRoot, txid } from './hash.ts'

export const COIN = 100_000_000
/** Bitcoin's cap: 21 million coins in units, well inside Number.MAX_SAFE_INTEGER. */
export const MAX_MONEY = 21_000_000 * COIN

export interface ChainParams {
  name: string
  /** The easiest target allowed, compact form; genesis carries it. */
  powLimitBits: number
  noRetarget: boolean
  /** Seconds the retarget aims for between blocks. */
  targetSpacing: number
  retargetWindow: number
  coinbaseMaturity: number
  initialReward: number
  halvingInterval: number
  /** A block's time may be at most this far past the receiver's clock. */
  maxFutureSeconds: number
  maxBlockBytes: number
  maxTxBytes: number
  genesisTime: number
  /** Not consensus: the least time between blocks a miner finds when mining on and on (0: as fast as it can). */
  minerPaceMs: number
}

const MAIN_RULES: Omit<ChainParams, 'name'> = {
  // About 2^20 hashes per block at the easiest: a second or so on one core.
  powLimitBits: 0x1e100000,
  noRetarget: false,
  targetSpacing: 30,
  retargetWindow: 17,
  coinbaseMaturity: 20,
  initialReward: 50 * COIN,
  halvingInterval: 210_000,
  maxFutureSeconds: 2 * 60 * 60,
  maxBlockBytes: 1_000_000,
  maxTxBytes: 100_000,
  genesisTime: 1_763_769_600,
  minerPaceMs: 0
}

const TEST_RULES: Omit<ChainParams, 'name'> = {
  ...MAIN_RULES,
  // Bitcoin regtest's limit: every other hash wins.
  powLimitBits: 0x207fffff,
  noRetarget: true,
  targetSpacing: 1,
  coinbaseMaturity: 3,
  halvingInterval: 150,
  // A block costs ~2 hashes here: without a pace, mining on would flood every peer with blocks.
  minerPaceMs: 1000
}

export function isTestChain (name: string): boolean {
  return name === 'test' || name.startsWith('test-')
}

export function chainParams (name: string): ChainParams {
  return { ...(isTestChain(name) ? TEST_RULES : MAIN_RULES), name }
}

export function blockReward (params: ChainParams, height: number): number {
  const halvings = Math.floor(height / params.halvingInterval)
  return halvings >= 64 ? 0 : Math.floor(params.initialReward / 2 ** halvings)
}

/** A coinbase's unlock: the block height (u32 LE, so every coinbase txid is unique) then free bytes. */
export function coinbaseUnlock (height: number, extra: Uint8Array = new Uint8Array()): string {
  const b = Buffer.alloc(4 + extra.byteLength)
  b.writeUInt32LE(height, 0)
  b.set(extra, 4)
  return b.toString('hex')
}

export function coinbaseTx (height: number, outputs: Transaction['outputs'], extra?: Uint8Array): Transaction {
  return { version: 1, inputs: [{ prevTxid: NULL_HASH, prevIndex: 0xffffffff, unlock: coinbaseUnlock(height, extra) }], outputs, lockTime: 0 }
}

/**
 * The signature scheme is part of a chain's identity: changing it made a new chain (a new genesis), so
 * blocks and transactions of the old one never mix in. The first chains signed with BIP340 Schnorr and
 * named only the chain (`tidepool ledger <name>`).
 */
export const SIGNATURE_SCHEME = 'ed25519'

/** The chain's first block: its coinbase names the chain and its signature scheme, and pays nobody (like Bitcoin's, unspendable). */
export function genesisBlock (params: ChainParams): Block {
  const coinbase = coinbaseTx(0, [{ amount: 0, pkh: '00'.repeat(20) }], new TextEncoder().encode(`tidepool ledger ${params.name} ${SIGNATURE_SCHEME}`))
  return {
    header: { version: 1, prevHash: NULL_HASH, merkleRoot: merkleRoot([txid(coinbase)]), time: params.genesisTime, bits: params.powLimitBits, nonce: 0 },
    txs: [coinbase]
  }
}

const genesisHashes = new Map<string, string>()

/** Computed once per chain: every signature commits to it (`sighash`). */
export function genesisHash (params: ChainParams): string {
  // What genesisBlock reads of the params.
  const key = `${params.name}:${params.powLimitBits}:${params.genesisTime}`
  let hash = genesisHashes.get(key)
  if (hash === undefined) {
    hash = blockHash(genesisBlock(params).header)
    genesisHashes.set(key, hash)
  }
  return hash
}
