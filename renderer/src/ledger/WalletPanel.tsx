// The wallet: address (copy, QR), balance by kind, the send form, and payments with confirmations.
import { useState, type FormEvent } from 'react'
import { QrCode } from '../components/QrCode.tsx'
import { ErrorNote } from '../components/ErrorNote.tsx'
import { CopyButton } from '../components/CopyButton.tsx'
import type { LedgerApi } from '../api/ledger.ts'
import type { WalletView } from './types.ts'
import { formatCoins, parseCoins } from './units.ts'
import { KeyPanel } from './KeyPanel.tsx'
import { usePaged } from '../components/Pager.tsx'

/** Depth from which the UI calls a payment final; shallower ones may still be undone by a heavier branch. */
export const FINAL_DEPTH = 6
const DEFAULT_FEE_UNITS = 1000

function SendForm ({ api, onSent }: { api: LedgerApi, onSent: () => void }) {
  const [to, setTo] = useState('')
  const [amount, setAmount] = useState('')
  const [fee, setFee] = useState(formatCoins(DEFAULT_FEE_UNITS))
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: true, text: string } | { ok: false, error: unknown } | null>(null)

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const units = parseCoins(amount)
    const feeUnits = parseCoins(fee)
    if (units == null || units === 0) { setResult({ ok: false, error: 'Amount: a number of coins above 0, at most 8 decimals.' }); return }
    if (feeUnits == null) { setResult({ ok: false, error: 'Fee: a number of coins, at most 8 decimals.' }); return }
    setBusy(true)
    setResult(null)
    api.send(to.trim(), units, feeUnits).then(({ txid }) => {
      setResult({ ok: true, text: `Sent: ${txid}` })
      setTo(''); setAmount('')
      onSent()
    }, err => { setResult({ ok: false, error: err }) }).finally(() => { setBusy(false) })
  }

  return (
    <form className="send-form" onSubmit={submit} aria-label="Send coins">
      <label>To address<input value={to} onChange={e => { setTo(e.target.value) }} required spellCheck={false} data-testid="send-to" /></label>
      <label>Amount (coins)<input value={amount} onChange={e => { setAmount(e.target.value) }} required inputMode="decimal" data-testid="send-amount" /></label>
      <label>Fee (coins)<input value={fee} onChange={e => { setFee(e.target.value) }} required inputMode="decimal" data-testid="send-fee" /></label>
      <button type="submit" disabled={busy} data-testid="send-button">{busy ? 'Sending…' : 'Send'}</button>
      {result?.ok === true && <p className="banner ok" role="status" data-testid="send-result">{result.text}</p>}
      {result?.ok === false && <ErrorNote error={result.error} testId="send-result" />}
    </form>
  )
}

/** `onChange`: something the user did here changed the wallet (a payment, the passphrase); refetch. */
export function WalletPanel ({ wallet, api, onChange }: { wallet: WalletView, api: LedgerApi, onChange: () => void }) {
  const { shown, pager } = usePaged(wallet.history, 'Payments')
  return (
    <div className="wallet">
      {wallet.address === null
        ? (
          <p className="banner" role="status" data-testid="wallet-upgrade">
            This wallet's key comes from the old Schnorr chain and is sealed by its passphrase. Unlock it once (Key and passphrase, below) to move it to this chain: until then it has no address here, and cannot mine or be paid.
          </p>
          )
        : (
          <div className="wallet-address">
            <QrCode text={wallet.address} size={140} alt="QR code of this wallet's address" />
            <div>
              <p className="with-copy"><code className="mono break" data-testid="wallet-address">{wallet.address}</code><CopyButton text={wallet.address} label="Copy this wallet's address" /></p>
              {wallet.locked && <p className="hint">Locked: unlock with its passphrase to send.</p>}
            </div>
          </div>
          )}
      {wallet.schnorrAddress !== null && (
        <p className="hint" data-testid="wallet-schnorr-address">
          On the old Schnorr chain this key's address was <code className="mono break">{wallet.schnorrAddress}</code>: its coins stayed on that chain (this key still controls them there), and nothing can be sent to it here.
        </p>
      )}
      <dl className="balance">
        <div><dt>Spendable (coins)</dt><dd data-testid="balance-confirmed" data-units={wallet.balance.confirmed} title={`${wallet.balance.confirmed} base units`}>{formatCoins(wallet.balance.confirmed)}</dd></div>
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
            <thead><tr><th>Transaction</th><th>Amount (coins)</th><th>Confirmations</th></tr></thead>
            <tbody>
              {shown.map(p => (
                <tr key={p.txid} data-testid="payment" data-txid={p.txid} data-confirmations={p.confirmations}>
                  <td><code className="mono" title={p.txid}>{p.txid.slice(0, 12)}…</code></td>
                  <td className={p.amount < 0 ? 'out' : 'in'}>{formatCoins(p.amount)}</td>
                  <td>{p.confirmations === 0 ? 'waiting' : p.confirmations}{p.confirmations < FINAL_DEPTH && <span className="muted"> (not final yet)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
      {pager}
    </div>
  )
}
