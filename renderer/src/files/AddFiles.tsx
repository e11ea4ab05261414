// Adding files: a file picker and a drop zone; each file is sent as raw bytes to POST /api/files.
import { useState, type DragEvent } from 'react'
import { errorText } from '../api/client.ts'
import type { FilesApi } from '../api/files.ts'
import type { FileEntry } from '../api/types.ts'

interface Props {
  api: FilesApi
  onAdded: (file: FileEntry) => void
}

export function AddFiles ({ api, onAdded }: Props) {
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [over, setOver] = useState(false)
  const [encrypt, setEncrypt] = useState(false)

  const add = async (files: File[]): Promise<void> => {
    setError(null)
    for (const file of files) {
      setBusy(file.name)
      try {
        onAdded(await api.add(file, file.name, encrypt))
      } catch (err) {
        setError(`${file.name}: ${errorText(err)}`)
      }
    }
    setBusy(null)
  }

  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault()
    setOver(false)
    void add([...event.dataTransfer.files])
  }

  return (
    <div
      className={`drop-zone ${over ? 'drop-over' : ''}`}
      data-testid="files-drop-zone"
      onDragOver={event => { event.preventDefault(); setOver(true) }}
      onDragLeave={() => { setOver(false) }}
      onDrop={onDrop}
    >
      <p>Drop files here, or</p>
      <label className="button">
        Choose files…
        <input
          type="file"
          multiple
          className="offscreen"
          data-testid="files-input"
          onChange={event => { void add([...(event.target.files ?? [])]); event.target.value = '' }}
        />
      </label>
      <label className="private-toggle">
        <input type="checkbox" checked={encrypt} onChange={event => { setEncrypt(event.target.checked) }} data-testid="files-private" />
        {' '}Private: encrypt it; only people with the link can read it
      </label>
      {busy != null && <p className="muted" role="status">Adding {busy}…</p>}
      {error != null && <p className="banner error" role="alert">{error}</p>}
    </div>
  )
}
