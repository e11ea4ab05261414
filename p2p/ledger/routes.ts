// The ledger's HTTP face: request schemas, error statuses, and one service call per route.
import { z } from 'zod'
import type { Route } from '../api/router.ts'
import { apiErrorsFrom, errorStatus, readJson } from '../api/http.ts'
import { ApiError } from '../api/contract.ts'
import type { LedgerService } from './service.ts'
import { RuleError } from './rules/codes.ts'
import { WalletError, type WalletErrorCode } from './wallet/keystore.ts'
import { DEFAULT_THREADS } from './miner/miner.ts'
import { AttackTimeoutError } from './attack/in-worker.ts'

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

export function ledgerRoutes (ledger: LedgerService): Route[] {
  return [
    { method: 'GET', path: '/api/chain', handle: async () => ledger.chainView() },
    {
      method: 'GET',
      path: '/api/chain/blocks/:hash',
      handle: async ({ params }) => {
        const hash = Hash.safeParse(params.hash)
        if (!hash.success) throw new ApiError(400, 'bad-request', 'hash: 64 lowercase hex characters')
        const block = await ledger.block(hash.data)
        if (block === undefined) throw new ApiError(404, 'not-found', `no block ${hash.data}`)
        return block
      }
    },
    { method: 'GET', path: '/api/mining', handle: async () => ledger.mining() },
    {
      method: 'POST',
      path: '/api/mining',
      handle: async ({ req }) => {
        const { enabled, threads, blocks } = await readJson(req, MiningRequest)
        return await asApiError(async () => await ledger.setMining(enabled, threads, blocks))
      }
    },
    { method: 'GET', path: '/api/wallet', handle: async () => await ledger.wallet() },
    {
      method: 'POST',
      path: '/api/wallet/send',
      handle: async ({ req }) => {
        const { to, amount, fee } = await readJson(req, SendRequest)
        return await asApiError(async () => await ledger.send(to, amount, fee))
      }
    },
    {
      method: 'POST',
      path: '/api/wallet/passphrase',
      handle: async ({ req }) => {
        const { passphrase, current } = await readJson(req, PassphraseRequest)
        return await asApiError(async () => await ledger.setPassphrase(passphrase, current))
      }
    },
    {
      method: 'POST',
      path: '/api/wallet/unlock',
      handle: async ({ req }) => {
        const { passphrase } = await readJson(req, UnlockRequest)
        return await asApiError(async () => await ledger.unlock(passphrase))
      }
    },
    { method: 'POST', path: '/api/wallet/lock', handle: async () => await ledger.lock() },
    {
      method: 'POST',
      path: '/api/mempool',
      handle: async ({ req }) => {
        const { tx } = await readJson(req, BroadcastRequest)
        return await asApiError(async () => await ledger.submitTransaction(tx))
      }
    },
    {
      method: 'POST',
      path: '/api/ledger/simulate-attack',
      handle: async ({ req }) => {
        const { q, z: confirmations, trials, seed } = await readJson(req, AttackRequest)
        return { results: await asApiError(async () => await ledger.simulateAttack({ q, z: confirmations, trials, seed: seed ?? Date.now() })) }
      }
    },
    { method: 'GET', path: '/api/mempool', handle: async () => ledger.mempool() }
  ]
}
