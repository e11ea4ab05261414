// The peer's upload cap: what all downloaders together may take from this peer, in MB/s, or no limit.
import { useState, type FormEvent } from 'react'
import { errorText } from '../api/client.ts'
import { MIN_RATE_CAP as MIN_BYTES_PER_SECOND } from '../../../p2p/files/api.ts'
import type { FilesSettingsState } from './useFilesSettings.ts'

const MB = 1_000_000

export function UploadLimit ({ settings, error: readError, save: saveSettings }: FilesSettingsState) {
  const current = settings?.maxUploadBytesPerSecond
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)

  const save = async (bytesPerSecond: number | null): Promise<void> => {
    setError(null)
    try {
      await saveSettings({ maxUploadBytesPerSecond: bytesPerSecond })
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
      {/* The settings' read error shows here once, not under each setting. */}
      {(error ?? readError) != null && <p className="banner error" role="alert" data-testid="upload-limit-error">{error ?? readError}</p>}
    </form>
  )
}
