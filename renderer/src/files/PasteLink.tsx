// Paste a tidepool:// link (or a bare content id) to download it.
import { useState, type FormEvent } from 'react'
import { errorText, type ApiClient } from '../api/client.ts'
import type { FileEntry } from '../api/types.ts'
import { parseFileEntry } from './parse.ts'

interface Props {
  client: ApiClient
  onStarted: (file: FileEntry) => void
}

export function PasteLink ({ client, onStarted }: Props) {
  const [link, setLink] = useState('')
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setError(null)
    try {
      const started = parseFileEntry(await client.request<unknown>('POST', '/api/files/download', { link: link.trim() }))
      if (started != null) onStarted(started)
      setLink('')
    } catch (err) {
      setError(errorText(err))
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
      {error != null && <p className="banner error" role="alert" data-testid="paste-link-error">{error}</p>}
    </form>
  )
}
