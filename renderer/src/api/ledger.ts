// The ledger routes, on the shared API client.
import type { ApiClient } from './client.ts'
import type { BlockDetail, ChainView, MempoolView, MiningState, RaceResult, TxidResult, WalletView } from '../../../p2p/ledger/api.ts'

export function ledgerApi (client: ApiClient) {
  return {
    chain: async (signal?: AbortSignal) => await client.request<ChainView>('GET', '/api/chain', undefined, signal),
    block: async (hash: string) => await client.request<BlockDetail>('GET', `/api/chain/blocks/${encodeURIComponent(hash)}`),
    mining: async (signal?: AbortSignal) => await client.request<MiningState>('GET', '/api/mining', undefined, signal),
    setMining: async (enabled: boolean, threads?: number) => await client.request<MiningState>('POST', '/api/mining', { enabled, threads }),
    wallet: async (signal?: AbortSignal) => await client.request<WalletView>('GET', '/api/wallet', undefined, signal),
    send: async (to: string, amount: number, fee: number) => await client.request<TxidResult>('POST', '/api/wallet/send', { to, amount, fee }),
    setPassphrase: async (passphrase: string, current?: string) => await client.request<WalletView>('POST', '/api/wallet/passphrase', { passphrase, current }),
    unlock: async (passphrase: string) => await client.request<WalletView>('POST', '/api/wallet/unlock', { passphrase }),
    lock: async () => await client.request<WalletView>('POST', '/api/wallet/lock', {}),
    mempool: async (signal?: AbortSignal) => await client.request<MempoolView>('GET', '/api/mempool', undefined, signal),
    simulateAttack: async (q: number, z: number[], trials: number) => await client.request<{ results: RaceResult[] }>('POST', '/api/ledger/simulate-attack', { q, z, trials })
  }
}

export type LedgerApi = ReturnType<typeof ledgerApi>
