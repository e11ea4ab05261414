// The wallet key's protection: seal it under a passphrase (kept encrypted on disk), lock, unlock.
import { useState, type FormEvent } from 'react'
import { errorText } from '../api/client.ts'
import type { LedgerApi } from '../api/ledger.ts'
import type { WalletView } from './types.ts'

export function KeyPanel ({ wallet, api, onChange }: { wallet: WalletView, api: LedgerApi, onChange: () => void }) {
  const [passphrase, setPassphrase] = useState('')
  const [current, setCurrent] = useState('')
  const [message, setMessage] = useState<{ ok: boolean, text: string } | null>(null)

  const act = (run: () => Promise<unknown>, done: string) => (event?: FormEvent): void => {
    event?.preventDefault()
    setMessage(null)
    run().then(() => { setMessage({ ok: true, text: done }); setPassphrase(''); setCurrent(''); onChange() }, err => { setMessage({ ok: false, text: errorText(err) }) })
  }

  return (
    <div className="key-panel">
      {wallet.locked
        ? (
          <form className="key-form" onSubmit={act(async () => await api.unlock(passphrase), 'Unlocked.')} aria-label="Unlock the wallet">
            <label>Passphrase<input type="password" value={passphrase} onChange={e => { setPassphrase(e.target.value) }} required data-testid="unlock-passphrase" /></label>
            <button type="submit">Unlock</button>
          </form>
          )
        : (
          <form className="key-form" onSubmit={act(async () => await api.setPassphrase(passphrase, wallet.encrypted ? current : undefined), passphrase === '' ? 'Passphrase removed.' : 'The key is sealed under the new passphrase.')} aria-label="Set the wallet's passphrase">
            {wallet.encrypted && <label>Current passphrase<input type="password" value={current} onChange={e => { setCurrent(e.target.value) }} required /></label>}
            <label>New passphrase (empty removes it)<input type="password" value={passphrase} onChange={e => { setPassphrase(e.target.value) }} /></label>
            <button type="submit">Set</button>
            {wallet.encrypted && <button type="button" onClick={act(async () => await api.lock(), 'Locked.')}>Lock now</button>}
          </form>
          )}
      <p className="hint">{wallet.encrypted ? 'The key is encrypted on disk (scrypt + AES-256-GCM).' : 'The key is stored unencrypted in the data folder: set a passphrase to seal it.'}</p>
      {message != null && <p className={message.ok ? 'banner ok' : 'banner error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
    </div>
  )
}
