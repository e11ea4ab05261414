// What the ledger's API drives: views of the chain, mempool, miner and wallet, and the workflows
// (send, submit a transaction) that change them — each change reaches the miner, the event stream
// and the other peers here, not in the routes.
import type { Ledger } from './ledger.ts'
import type { Miner } from './miner/miner.ts'
import { DEFAULT_THREADS } from './miner/miner.ts'
import type { LedgerSync } from './sync/service.ts'
import { bitsToTarget } from './rules/target.ts'
import { txid } from './rules/hash.ts'
import { encodeAddress } from './rules/address.ts'
import { isCoinbase } from './rules/tx.ts'
import { decodeTx, fromHex, type Transaction } from './rules/codec.ts'
import { simulateAttackInWorker, type AttackJob } from './attack/in-worker.ts'
import type { BlockDetail, ChainView, MempoolView, MiningState, RaceResult, TxidResult, WalletView } from './api.ts'

/** Headers shown in the block tree: the newest this many heights, side branches included. */
const RECENT_HEIGHTS = 100

export class LedgerService {
  private readonly ledger: Ledger
  private readonly miner: Miner
  private readonly sync: LedgerSync
  private readonly onMempoolChange: () => void

  constructor (options: { ledger: Ledger, miner: Miner, sync: LedgerSync, onMempoolChange: () => void }) {
    this.ledger = options.ledger
    this.miner = options.miner
    this.sync = options.sync
    this.onMempoolChange = options.onMempoolChange
  }

  chainView (): ChainView {
    const { chain } = this.ledger
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

  /** A stored block, or undefined if this peer has no such block. */
  async block (hash: string): Promise<BlockDetail | undefined> {
    const { chain } = this.ledger
    const entry = chain.entry(hash)
    const block = await chain.getBlock(hash)
    if (entry === undefined || block === undefined) return undefined
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

  mining (): MiningState {
    return { enabled: this.miner.enabled, threads: this.miner.threads, maxThreads: DEFAULT_THREADS, hashesPerSecond: this.miner.hashesPerSecond() }
  }

  async setMining (enabled: boolean, threads?: number, blocks?: number): Promise<MiningState> {
    // Rewards need an address: none yet while a sealed Schnorr-era key awaits its first unlock.
    if (enabled) this.ledger.keys.requirePkh()
    await this.miner.configure(enabled, threads, blocks)
    return this.mining()
  }

  async wallet (): Promise<WalletView> {
    const { wallet, keys } = this.ledger
    return { address: wallet.addressIfKnown, schnorrAddress: wallet.schnorrAddress, encrypted: keys.encrypted, locked: keys.locked, balance: await wallet.balance(), history: await wallet.history() }
  }

  async setPassphrase (passphrase: string, current?: string): Promise<WalletView> {
    await this.ledger.keys.setPassphrase(passphrase, current)
    return await this.wallet()
  }

  async unlock (passphrase: string): Promise<WalletView> {
    await this.ledger.keys.unlock(passphrase)
    return await this.wallet()
  }

  async lock (): Promise<WalletView> {
    this.ledger.keys.lock()
    return await this.wallet()
  }

  /** Pays `amount` to `to` from the wallet; the transaction goes into the mempool and out to the peers. */
  async send (to: string, amount: number, fee: number): Promise<TxidResult> {
    const tx = await this.ledger.wallet.send(to, amount, fee)
    await this.announce(tx)
    return { txid: txid(tx) }
  }

  /** A signed transaction (binary, hex) from elsewhere: into the mempool, then out to the peers. */
  async submitTransaction (hex: string): Promise<TxidResult> {
    const { tx, txid: id } = await this.ledger.mempool.add(decodeTx(fromHex(hex)))
    await this.announce(tx)
    return { txid: id }
  }

  mempool (): MempoolView {
    const { mempool } = this.ledger
    return { size: mempool.size, bytes: mempool.bytes, maxBytes: mempool.maxBytes, orphans: mempool.orphanCount, txs: mempool.entries().map(e => ({ txid: e.txid, fee: e.fee, size: e.size, time: e.time })) }
  }

  async simulateAttack (job: AttackJob): Promise<RaceResult[]> {
    return await simulateAttackInWorker(job)
  }

  private async announce (tx: Transaction): Promise<void> {
    this.onMempoolChange()
    await this.sync.publishTx(tx)
  }
}
