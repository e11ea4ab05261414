// Where finished downloads are saved: the folder in use, shown as it is (the core answers with the one
// it uses, default included), and a way to pick another or to keep downloads inside Tidepool only.
import { useState, type FormEvent } from 'react'
import { errorText } from '../api/client.ts'
import type { FilesSettingsState } from './useFilesSettings.ts'

export function DownloadFolder ({ settings, save }: FilesSettingsState) {
  const folder = settings?.downloadFolder
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)

  const change = (downloadFolder: string | null): void => {
    setError(null)
    save({ downloadFolder }).then(() => { setDraft('') }, (err: unknown) => { setError(errorText(err)) })
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    change(draft.trim())
  }

  return (
    <form className="dial-form download-folder" onSubmit={submit}>
      <label htmlFor="download-folder">
        Finished downloads are saved in:{' '}
        <code className="mono break" data-testid="download-folder-current">
          {folder === undefined ? '…' : folder ?? 'no folder — they stay in Tidepool; use Save'}
        </code>
      </label>
      <div className="dial-row">
        <input id="download-folder" data-testid="download-folder" placeholder="full path of another folder" spellCheck={false} value={draft} onChange={event => { setDraft(event.target.value) }} />
        <button type="submit" data-testid="download-folder-set" disabled={draft.trim() === ''}>Use</button>
        <button type="button" data-testid="download-folder-none" disabled={folder == null} onClick={() => { change(null) }}>None</button>
      </div>
      <p className="hint">Each file keeps the name it was shared under; if that name is taken, it gets a number: <i>report (1).pdf</i>.</p>
      {error != null && <p className="banner error" role="alert" data-testid="download-folder-error">{error}</p>}
    </form>
  )
}
