import { z } from 'zod'
import type { Route } from '../router.ts'
import { ApiError, apiErrorsFrom, errorStatus, readJson } from '../http.ts'
import type { LedgerService } from '../../ledger/index.ts'
import { RuleError } from '../../ledger/rules/codes.ts'
import { WalletError, type WalletErrorCode } from '../../ledger/wallet/keystore.ts'
import { bitsToTarget } from '../../ledger/rules/target.ts'
import { txid } from '../../ledger/rules/hash.ts'
import { encodeAddress } from '../../ledger/rules/address.ts'
import { isCoinbase } from '../../ledger/rules/tx.ts'
import { decodeTx, fromHex } from '../../ledger/rules/codec.ts'
import { DEFAULT_THREADS } from '../../ledger/miner/miner.ts'
import { AttackTimeoutError, simulateAttackInWorker } from '../../ledger/attack/in-worker.ts'

/** Headers shown in the block tree: the newest this many heights, side branches included. */
const RECENT_HEIGHTS = 100

const WALLET_ERROR_STATUS: Record<WalletErrorCode, number> = {
  'bad-address': 400,
  'bad-amount': 400,
  'insufficient-funds': 409,
  locked: 423,
  'wrong-passphrase': 403
}

const Units = z.number().int().safe()
const SendRequest = z.object({ to: z.string().min(1).max(100), amount: Units, fee: Units }).strict()
const MAX_BLOCKS_PER_REQUEST = 10_000
const MiningRequest = z.object({
  enabled: z.boolean(),
  threads: z.number().int().min(1).max(DEFAULT_THREADS).optional(),
  /** Stop after finding this many blocks (handy on a test chain). */
  blocks: z.number().int().min(1).max(MAX_BLOCKS_PER_REQUEST).optional()
}).strict()
const Passphrase = z.string().max(1024)
const PassphraseRequest = z.object({ passphrase: Passphrase, current: Passphrase.optional() }).strict()
const UnlockRequest = z.object({ passphrase: Passphrase.min(1) }).strict()
const Hash = z.string().regex(/^[0-9a-f]{64}$/)
const AttackRequest = z.object({
  q: z.number().gt(0).lt(0.5),
  z: z.array(z.number().int().min(0).max(100)).min(1).max(51),
  trials: z.number().int().min(1).max(1_000_000),
  seed: z.number().int().optional()
}).strict()
/** A signed transaction in its binary form, hex (100 kB at most, the consensus limit). */
const BroadcastRequest = z.object({ tx: z.string().regex(/^([0-9a-f]{2})+$/).max(200_000) }).strict()

const asApiError = apiErrorsFrom(
  errorStatus(WalletError, WALLET_ERROR_STATUS),
  errorStatus(RuleError, code => code === 'malformed' ? 400 : 409),
  errorStatus(AttackTimeoutError, { timeout: 504 })
)

export function ledgerRoutes (ledger: LedgerService, onMempoolChange: () => void): Route[] {
  const { chain, mempool, wallet, keys, miner, sync } = ledger
  const walletView = async (): Promise<unknown> => ({
    address: wallet.address,
    encrypted: keys.encrypted,
    locked: keys.locked,
    balance: await wallet.balance(),
    history: await wallet.history()
  })
  return [
    {
      method: 'GET',
      path: '/api/chain',
      handle: async () => {
        const tip = chain.tip
        return {
          chain: chain.params.name,
          height: tip.height,
          tip: tip.hash,
          cumulativeWork: tip.chainWork.toString(),
          target: bitsToTarget(chain.nextBlockTemplate().bits).toString(16).padStart(64, '0'),
          orphans: chain.orphanCount,
          blocks: chain.recentEntries(RECENT_HEIGHTS).map(e => ({
            hash: e.hash, parent: e.parent, height: e.height, time: e.time, txCount: e.txCount, status: e.status, onMainChain: chain.isOnMainChain(e.hash)
          }))
        }
      }
    },
    {
      method: 'GET',
      path: '/api/chain/blocks/:hash',
      handle: async ({ params }) => {
        const hash = Hash.safeParse(params.hash)
        if (!hash.success) throw new ApiError(400, 'bad-request', 'hash: 64 lowercase hex characters')
        const entry = chain.entry(hash.data)
        const block = await chain.getBlock(hash.data)
        if (entry === undefined || block === undefined) throw new ApiError(404, 'not-found', `no block ${hash.data}`)
        return {
          hash: entry.hash,
          height: entry.height,
          onMainChain: chain.isOnMainChain(entry.hash),
          confirmations: chain.isOnMainChain(entry.hash) ? chain.tip.height - entry.height + 1 : 0,
          header: block.header,
          txs: block.txs.map(tx => ({
            txid: txid(tx),
            coinbase: isCoinbase(tx),
            inputs: isCoinbase(tx) ? [] : tx.inputs.map(i => ({ txid: i.prevTxid, index: i.prevIndex })),
            outputs: tx.outputs.map(o => ({ amount: o.amount, address: encodeAddress(o.pkh) }))
          }))
        }
      }
    },
    {
      method: 'GET',
      path: '/api/mining',
      handle: async () => ({ enabled: miner.enabled, threads: miner.threads, maxThreads: DEFAULT_THREADS, hashesPerSecond: miner.hashesPerSecond() })
    },
    {
      method: 'POST',
      path: '/api/mining',
      handle: async ({ req }) => {
        const { enabled, threads, blocks } = await readJson(req, MiningRequest)
        await miner.configure(enabled, threads, blocks)
        return { enabled: miner.enabled, threads: miner.threads, maxThreads: DEFAULT_THREADS, hashesPerSecond: miner.hashesPerSecond() }
      }
    },
    { method: 'GET', path: '/api/wallet', handle: walletView },
    {
      method: 'POST',
      path: '/api/wallet/send',
      handle: async ({ req }) => {
        const { to, amount, fee } = await readJson(req, SendRequest)
        const tx = await asApiError(async () => await wallet.send(to, amount, fee))
        onMempoolChange()
        await sync.publishTx(tx)
        return { txid: txid(tx) }
      }
    },
    {
      method: 'POST',
      path: '/api/wallet/passphrase',
      handle: async ({ req }) => {
        const { passphrase, current } = await readJson(req, PassphraseRequest)
        await asApiError(async () => { await keys.setPassphrase(passphrase, current) })
        return await walletView()
      }
    },
    {
      method: 'POST',
      path: '/api/wallet/unlock',
      handle: async ({ req }) => {
        const { passphrase } = await readJson(req, UnlockRequest)
        await asApiError(async () => { await keys.unlock(passphrase) })
        return await walletView()
      }
    },
    {
      method: 'POST',
      path: '/api/wallet/lock',
      handle: async () => { keys.lock(); return await walletView() }
    },
    {
      method: 'POST',
      path: '/api/mempool',
      handle: async ({ req }) => {
        const { tx: hex } = await readJson(req, BroadcastRequest)
        const { tx, txid: id } = await asApiError(async () => await mempool.add(decodeTx(fromHex(hex))))
        onMempoolChange()
        await sync.publishTx(tx)
        return { txid: id }
      }
    },
    {
      method: 'POST',
      path: '/api/ledger/simulate-attack',
      handle: async ({ req }) => {
        const { q, z: confirmations, trials, seed } = await readJson(req, AttackRequest)
        return { results: await asApiError(async () => await simulateAttackInWorker({ q, z: confirmations, trials, seed: seed ?? Date.now() })) }
      }
    },
    {
      method: 'GET',
      path: '/api/mempool',
      handle: async () => ({ size: mempool.size, bytes: mempool.bytes, maxBytes: mempool.maxBytes, orphans: mempool.orphanCount, txs: mempool.entries().map(e => ({ txid: e.txid, fee: e.fee, size: e.size, time: e.time })) })
    }
  ]
}
