// The peer's upload cap: what all downloaders together may take from this peer, in MB/s, or no limit.
import { useEffect, useState, type FormEvent } from 'react'
import { errorText, type ApiClient } from '../api/client.ts'

const MB = 1_000_000
/** The API's lowest cap (64 KiB/s, MIN_RATE_CAP in p2p/files/protocol.ts, which the UI bundle doesn't import). */
const MIN_BYTES_PER_SECOND = 65_536

interface Settings { maxUploadBytesPerSecond: number | null }

function parseSettings (value: unknown): Settings | null {
  const cap = (value as Settings | null)?.maxUploadBytesPerSecond
  return cap === null || (typeof cap === 'number' && Number.isFinite(cap)) ? { maxUploadBytesPerSecond: cap } : null
}

export function UploadLimit ({ client }: { client: ApiClient }) {
  const [current, setCurrent] = useState<number | null | undefined>(undefined)
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    client.request<unknown>('GET', '/api/files/settings').then(answer => {
      setCurrent(parseSettings(answer)?.maxUploadBytesPerSecond)
    }, err => { setError(errorText(err)) })
  }, [client])

  const save = async (bytesPerSecond: number | null): Promise<void> => {
    setError(null)
    try {
      const saved = parseSettings(await client.request<unknown>('PUT', '/api/files/settings', { maxUploadBytesPerSecond: bytesPerSecond }))
      setCurrent(saved?.maxUploadBytesPerSecond)
      setDraft('')
    } catch (err) {
      setError(errorText(err))
    }
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const bytesPerSecond = Math.round(Number(draft) * MB)
    if (!(bytesPerSecond >= MIN_BYTES_PER_SECOND)) { setError(`give a rate of at least ${MIN_BYTES_PER_SECOND / MB} MB/s`); return }
    void save(bytesPerSecond)
  }

  return (
    <form className="dial-form" onSubmit={submit}>
      <label htmlFor="upload-limit">
        Upload limit: <span data-testid="upload-limit-current">{current === undefined ? '…' : current === null ? 'none' : `${(current / MB).toFixed(2)} MB/s`}</span>
      </label>
      <div className="dial-row">
        <input id="upload-limit" data-testid="upload-limit" type="number" step="any" placeholder="MB/s, all downloaders together" value={draft} onChange={event => { setDraft(event.target.value) }} />
        <button type="submit" data-testid="upload-limit-set" disabled={draft.trim() === ''}>Set</button>
        <button type="button" data-testid="upload-limit-clear" disabled={current == null} onClick={() => { void save(null) }}>No limit</button>
      </div>
      {error != null && <p className="banner error" role="alert" data-testid="upload-limit-error">{error}</p>}
    </form>
  )
}
