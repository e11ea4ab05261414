// The wallet: address (copy, QR), balance by kind, the send form, and payments with confirmations.
import { useState, type FormEvent } from 'react'
import { QrCode } from '../components/QrCode.tsx'
import { errorText } from '../api/client.ts'
import { CopyButton } from '../components/CopyButton.tsx'
import type { LedgerApi } from '../api/ledger.ts'
import type { WalletView } from './types.ts'
import { formatCoins, parseCoins } from './units.ts'
import { KeyPanel } from './KeyPanel.tsx'

/** Depth from which the UI calls a payment final; shallower ones may still be undone by a heavier branch. */
export const FINAL_DEPTH = 6
const DEFAULT_FEE_UNITS = 1000

function SendForm ({ api, onSent }: { api: LedgerApi, onSent: () => void }) {
  const [to, setTo] = useState('')
  const [amount, setAmount] = useState('')
  const [fee, setFee] = useState(String(DEFAULT_FEE_UNITS))
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean, text: string } | null>(null)

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const units = parseCoins(amount)
    const feeUnits = /^\d{1,15}$/.test(fee.trim()) ? Number(fee.trim()) : null
    if (units == null || units === 0) { setResult({ ok: false, text: 'Amount: a number of coins above 0, at most 8 decimals.' }); return }
    if (feeUnits == null) { setResult({ ok: false, text: 'Fee: a whole number of units.' }); return }
    setBusy(true)
    setResult(null)
    api.send(to.trim(), units, feeUnits).then(({ txid }) => {
      setResult({ ok: true, text: `Sent: ${txid}` })
      setTo(''); setAmount('')
      onSent()
    }, err => { setResult({ ok: false, text: errorText(err) }) }).finally(() => { setBusy(false) })
  }

  return (
    <form className="send-form" onSubmit={submit} aria-label="Send coins">
      <label>To address<input value={to} onChange={e => { setTo(e.target.value) }} required spellCheck={false} data-testid="send-to" /></label>
      <label>Amount (coins)<input value={amount} onChange={e => { setAmount(e.target.value) }} required inputMode="decimal" data-testid="send-amount" /></label>
      <label>Fee (units)<input value={fee} onChange={e => { setFee(e.target.value) }} required inputMode="numeric" data-testid="send-fee" /></label>
      <button type="submit" disabled={busy} data-testid="send-button">{busy ? 'Sending…' : 'Send'}</button>
      {result != null && <p className={result.ok ? 'banner ok' : 'banner error'} role={result.ok ? 'status' : 'alert'} data-testid="send-result">{result.text}</p>}
    </form>
  )
}

/** `onChange`: something the user did here changed the wallet (a payment, the passphrase); refetch. */
export function WalletPanel ({ wallet, api, onChange }: { wallet: WalletView, api: LedgerApi, onChange: () => void }) {
  return (
    <div className="wallet">
      <div className="wallet-address">
        <QrCode text={wallet.address} size={140} alt="QR code of this wallet's address" />
        <div>
          <p className="with-copy"><code className="mono break" data-testid="wallet-address">{wallet.address}</code><CopyButton text={wallet.address} label="Copy this wallet's address" /></p>
          {wallet.locked && <p className="hint">Locked: unlock with its passphrase to send.</p>}
        </div>
      </div>
      <dl className="balance">
        <div><dt>Spendable</dt><dd data-testid="balance-confirmed" data-units={wallet.balance.confirmed}>{formatCoins(wallet.balance.confirmed)}</dd></div>
        <div><dt>Pending</dt><dd data-testid="balance-pending">{formatCoins(wallet.balance.pending)}</dd></div>
        <div><dt>Immature rewards</dt><dd data-testid="balance-immature">{formatCoins(wallet.balance.immature)}</dd></div>
      </dl>
      <SendForm api={api} onSent={onChange} />
      <details className="key-details">
        <summary>Key and passphrase</summary>
        <KeyPanel wallet={wallet} api={api} onChange={onChange} />
      </details>
      <h3>Payments</h3>
      <p className="hint">A payment is final only a few blocks deep: until then a heavier branch can replace the blocks that hold it. Count it as settled from {FINAL_DEPTH} confirmations.</p>
      {wallet.history.length === 0
        ? <p className="muted">No payments yet.</p>
        : (
          <table className="payments" data-testid="payments">
            <thead><tr><th>Transaction</th><th>Amount</th><th>Confirmations</th></tr></thead>
            <tbody>
              {wallet.history.map(p => (
                <tr key={p.txid} data-testid="payment" data-txid={p.txid} data-confirmations={p.confirmations}>
                  <td><code className="mono">{p.txid.slice(0, 16)}…</code></td>
                  <td className={p.amount < 0 ? 'out' : 'in'}>{formatCoins(p.amount)}</td>
                  <td>{p.confirmations === 0 ? 'waiting' : p.confirmations}{p.confirmations < FINAL_DEPTH && <span className="muted"> (not final yet)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
    </div>
  )
}
