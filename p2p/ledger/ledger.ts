// The ledger's parts wired together, without the network: chain, mempool that follows it, wallet.
// The capability adds mining, gossip and the API; tests use this directly.
import type { ChainParams } from './rules/params.ts'
import { Chain } from './chain/chain.ts'
import type { LedgerDb } from './chain/store.ts'
import { Mempool } from './mempool/mempool.ts'
import { Keystore } from './wallet/keystore.ts'
import { Wallet } from './wallet/wallet.ts'

export interface Ledger {
  chain: Chain
  mempool: Mempool
  keys: Keystore
  wallet: Wallet
}

/** `dataDir` holds the wallet's key file; `db` the chain. `log` hears of a store of another chain cleared (Chain.open). */
export async function openLedger (db: LedgerDb, dataDir: string, params: ChainParams, now: () => number, log?: (message: string) => void): Promise<Ledger> {
  const chain = await Chain.open(db, params, now, log)
  const mempool = new Mempool(chain, now)
  chain.onTipChange(async change => { await mempool.applyTipChange(change) })
  const keys = await Keystore.open(dataDir)
  return { chain, mempool, keys, wallet: new Wallet(keys, chain, mempool) }
}
