// Paste a tidepool:// link (or a bare content id) to download it.
import { useState, type FormEvent } from 'react'
import { ErrorNote } from '../components/ErrorNote.tsx'
import type { FilesApi } from '../api/files.ts'
import type { FileEntry } from '../api/types.ts'

interface Props {
  api: FilesApi
  onStarted: (file: FileEntry) => void
}

export function PasteLink ({ api, onStarted }: Props) {
  const [link, setLink] = useState('')
  const [error, setError] = useState<unknown>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setError(null)
    try {
      onStarted(await api.download(link.trim()))
      setLink('')
    } catch (err) {
      setError(err)
    }
  }

  return (
    <form className="dial-form" onSubmit={event => { void submit(event) }}>
      <label htmlFor="paste-link">Download from a link</label>
      <div className="dial-row">
        <input
          id="paste-link"
          data-testid="paste-link"
          placeholder="tidepool://bafy…?name=…&size=…"
          value={link}
          onChange={event => { setLink(event.target.value) }}
          spellCheck={false}
        />
        <button type="submit" data-testid="paste-link-submit" disabled={link.trim() === ''}>Download</button>
      </div>
      {error != null && <ErrorNote error={error} testId="paste-link-error" />}
    </form>
  )
}
