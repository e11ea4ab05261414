// The user's coins: balance and history read from the chain's owner index and the mempool, and
// payments built from the wallet's own unspent outputs, signed, and handed to the mempool.
import { decodeAddress, encodeAddress, encodeLegacyAddress, AddressError } from '../rules/address.ts'
import type { Transaction } from '../rules/codec.ts'
import { MAX_MONEY } from '../rules/params.ts'
import { outpointKey, signInput, type Coin } from '../rules/tx.ts'
import type { Chain } from '../chain/chain.ts'
import { MIN_RELAY_FEE, type Mempool } from '../mempool/mempool.ts'
import { WalletError, type Keystore } from './keystore.ts'

export interface Balance {
  /** Spendable now: mature, and not already spent by a waiting payment. */
  confirmed: number
  /** Coming to us in waiting transactions (change included). */
  pending: number
  /** Coinbase rewards not yet past the maturity depth. */
  immature: number
}

export interface Payment {
  txid: string
  /** Net change to this wallet, in units (negative when paying out). */
  amount: number
  /** 0 while waiting in the mempool; 1 in the tip block; +1 per block after. */
  confirmations: number
}

export class Wallet {
  private readonly keys: Keystore
  private readonly chain: Chain
  private readonly mempool: Mempool
  private sending: Promise<unknown> = Promise.resolve()

  constructor (keys: Keystore, chain: Chain, mempool: Mempool) {
    this.keys = keys
    this.chain = chain
    this.mempool = mempool
  }

  /** WalletError('locked') while a sealed Schnorr-era key awaits its first unlock (keystore.ts). */
  get address (): string {
    return encodeAddress(this.keys.requirePkh())
  }

  /** What the API shows: null where `address` would throw. */
  get addressIfKnown (): string | null {
    const pkh = this.keys.pkh
    return pkh === undefined ? null : encodeAddress(pkh)
  }

  /** The wallet's address on the old Schnorr chain, if its key came from there: shown, never paid here. */
  get schnorrAddress (): string | null {
    const pkh = this.keys.schnorrPkh
    return pkh === undefined ? null : encodeLegacyAddress(pkh)
  }

  private isMature (coin: Coin): boolean {
    return !coin.coinbase || this.chain.tip.height + 1 - coin.height >= this.chain.params.coinbaseMaturity
  }

  private waitingTo (pkh: string): Array<{ outpoint: string, coin: Coin }> {
    return this.mempool.unspentOutputs().filter(({ coin }) => coin.pkh === pkh)
  }

  /** Coins this wallet may spend now: mature chain coins and its waiting change, none already being spent. */
  private async spendable (pkh: string): Promise<Array<{ outpoint: string, coin: Coin }>> {
    const onChain = (await this.chain.coinsOf(pkh)).filter(({ outpoint, coin }) => this.isMature(coin) && !this.mempool.isSpent(outpoint))
    return [...onChain, ...this.waitingTo(pkh)]
  }

  /** Nothing while the key's hash is unknown (a sealed Schnorr-era key before its first unlock). */
  async balance (): Promise<Balance> {
    let confirmed = 0
    let immature = 0
    const pkh = this.keys.pkh
    if (pkh === undefined) return { confirmed, pending: 0, immature }
    for (const { outpoint, coin } of await this.chain.coinsOf(pkh)) {
      if (!this.isMature(coin)) immature += coin.amount
      else if (!this.mempool.isSpent(outpoint)) confirmed += coin.amount
    }
    const pending = this.waitingTo(pkh).reduce((sum, { coin }) => sum + coin.amount, 0)
    return { confirmed, pending, immature }
  }

  async history (): Promise<Payment[]> {
    const pkh = this.keys.pkh
    if (pkh === undefined) return []
    const waiting: Payment[] = []
    for (const { tx, txid: id } of this.mempool.entries()) {
      let amount = tx.outputs.filter(o => o.pkh === pkh).reduce((sum, o) => sum + o.amount, 0)
      for (const input of tx.inputs) {
        const spent = await this.chain.coin(outpointKey(input.prevTxid, input.prevIndex)) ?? this.mempoolOutput(input.prevTxid, input.prevIndex)
        if (spent?.pkh === pkh) amount -= spent.amount
      }
      if (amount !== 0 || tx.outputs.some(o => o.pkh === pkh)) waiting.push({ txid: id, amount, confirmations: 0 })
    }
    const tip = this.chain.tip.height
    const mined = (await this.chain.historyOf(pkh)).map(r => ({ txid: r.txid, amount: r.amount, confirmations: tip - r.height + 1 }))
    return [...waiting.reverse(), ...mined]
  }

  private mempoolOutput (id: string, index: number): { pkh: string, amount: number } | undefined {
    return this.mempool.entries().find(e => e.txid === id)?.tx.outputs[index]
  }

  /** Pays `amount` to `to` with `fee`, change back to this wallet; returns the admitted transaction. */
  async send (to: string, amount: number, fee: number): Promise<Transaction> {
    // One payment at a time, so two never pick the same coins.
    const run = this.sending.then(async () => await this.pay(to, amount, fee))
    this.sending = run.catch(() => {})
    return await run
  }

  private async pay (to: string, amount: number, fee: number): Promise<Transaction> {
    let pkh: string
    try {
      pkh = decodeAddress(to)
    } catch (err) {
      throw new WalletError('bad-address', (err as AddressError).message)
    }
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_MONEY) throw new WalletError('bad-amount', 'amount: a whole number of units above 0')
    if (!Number.isSafeInteger(fee) || fee < MIN_RELAY_FEE) throw new WalletError('bad-amount', `fee: a whole number of units, at least ${MIN_RELAY_FEE}`)
    const secretKey = this.keys.secretKey()
    const ours = this.keys.requirePkh()
    const chosen: Array<{ outpoint: string, coin: Coin }> = []
    let total = 0
    for (const candidate of await this.spendable(ours)) {
      if (total >= amount + fee) break
      chosen.push(candidate)
      total += candidate.coin.amount
    }
    if (total < amount + fee) {
      const { confirmed, pending } = await this.balance()
      throw new WalletError('insufficient-funds', `paying ${amount} + fee ${fee} needs more than the ${confirmed + pending} spendable`)
    }
    const outputs = [{ amount, pkh }]
    if (total > amount + fee) outputs.push({ amount: total - amount - fee, pkh: ours })
    const tx: Transaction = {
      version: 1,
      inputs: chosen.map(({ outpoint }) => { const [id, index] = outpoint.split(':'); return { prevTxid: id!, prevIndex: Number(index), unlock: '' } }),
      outputs,
      lockTime: 0
    }
    tx.inputs.forEach((input, i) => { input.unlock = signInput(tx, i, secretKey, this.chain.params) })
    await this.mempool.add(tx)
    return tx
  }
}
