// The ledger's published API contract (docs/API.md, "Ledger"): the answers' shapes and the events.
// Pure (zod only), so the renderer imports it as it is; the routes and the service build these shapes.
import { z } from 'zod'
import type { WalletErrorCode } from './wallet/keystore.ts'
import type { RuleCode } from './rules/codes.ts'
import type { AttackTimeoutError } from './attack/in-worker.ts'

export interface BlockSummary {
  hash: string
  parent: string
  height: number
  time: number
  txCount: number
  status: 'valid' | 'stored' | 'invalid'
  onMainChain: boolean
}

export interface ChainView {
  chain: string
  height: number
  tip: string
  cumulativeWork: string
  target: string
  orphans: number
  blocks: BlockSummary[]
}

export interface BlockDetail {
  hash: string
  height: number
  onMainChain: boolean
  confirmations: number
  header: { version: number, prevHash: string, merkleRoot: string, time: number, bits: number, nonce: number }
  txs: Array<{ txid: string, coinbase: boolean, inputs: Array<{ txid: string, index: number }>, outputs: Array<{ amount: number, address: string }> }>
}

export interface MiningState {
  enabled: boolean
  threads: number
  maxThreads: number
  hashesPerSecond: number
}

export interface Payment {
  txid: string
  amount: number
  confirmations: number
}

export interface WalletView {
  /** null while a sealed key of the old Schnorr chain awaits its first unlock, which moves it to this chain. */
  address: string | null
  /** The wallet's address on the old Schnorr chain, when its key came from there (its coins stayed there). */
  schnorrAddress: string | null
  encrypted: boolean
  locked: boolean
  balance: { confirmed: number, pending: number, immature: number }
  history: Payment[]
}

export interface MempoolView {
  size: number
  /** Bytes waiting, against the cap `maxBytes`. */
  bytes: number
  maxBytes: number
  /** Transactions waiting for an unknown parent (not in `txs`). */
  orphans: number
  txs: Array<{ txid: string, fee: number, size: number, time: number }>
}

export interface TxidResult { txid: string }

export type { RaceResult } from './attack/race.ts'

const Count = z.number().int().nonnegative()

export const LedgerEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ledger:tip'), height: Count, hash: z.string(), reorged: Count }),
  z.object({ type: z.literal('ledger:mempool'), size: Count })
])
export type LedgerEvent = z.infer<typeof LedgerEvent>

/** The codes the ledger routes answer with (besides the API's own, ApiBaseErrorCode): the wallet's, every rule's, the race's timeout. */
export type LedgerErrorCode = WalletErrorCode | RuleCode | AttackTimeoutError['code']
