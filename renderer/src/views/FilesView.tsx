// Files: add (picker, drop), share (link, QR), download from a pasted link, and the library.
import { useMemo, useState } from 'react'
import type { ApiClient } from '../api/client.ts'
import { ErrorNote } from '../components/ErrorNote.tsx'
import type { EventStream } from '../api/events.ts'
import type { FileEntry, Status } from '../api/types.ts'
import { AddFiles } from '../files/AddFiles.tsx'
import { LibraryTable } from '../files/LibraryTable.tsx'
import { PasteLink } from '../files/PasteLink.tsx'
import { ShareDialog } from '../files/ShareDialog.tsx'
import { UploadLimit } from '../files/UploadLimit.tsx'
import { filesApi } from '../api/files.ts'
import { dhtApi } from '../api/dht.ts'
import { ConfirmLink } from '../files/ConfirmLink.tsx'
import { useFiles } from '../files/useFiles.ts'
import { useFilesSettings } from '../files/useFilesSettings.ts'
import { DownloadFolder } from '../files/DownloadFolder.tsx'
import { relayNote } from '../reach.ts'
import { saveFile } from '../calendar/save-file.ts'
import '../files/files.css'

interface Props {
  client: ApiClient
  stream: EventStream
  /** For the share dialog's note on relays: null until the first /api/status answers. */
  status: Status | null
  /** A share link opened from outside, waiting for the user's yes. */
  offer: string | null
  onOfferDone: () => void
}

export function FilesView ({ client, stream, status, offer, onOfferDone }: Props) {
  const api = useMemo(() => filesApi(client), [client])
  const dht = useMemo(() => dhtApi(client), [client])
  const { files, error, upsert, refresh } = useFiles(api, stream)
  const settings = useFilesSettings(api)
  const [sharing, setSharing] = useState<FileEntry | null>(null)
  const [actionError, setActionError] = useState<unknown>(null)

  const act = (run: () => Promise<void>): void => {
    setActionError(null)
    run().catch((err: unknown) => { setActionError(err) })
  }
  const onAdded = (file: FileEntry): void => { upsert(file); setSharing(file) }
  /** An action that answers with the file's new entry. */
  const update = (change: () => Promise<FileEntry>): void => {
    act(async () => { upsert(await change()) })
  }

  return (
    <div className="view files-view">
      <h1>Files</h1>
      {offer != null && <ConfirmLink link={offer} files={api} dht={dht} onStarted={upsert} onClose={onOfferDone} />}
      <div className="two-columns">
        <section className="card" aria-labelledby="add-heading">
          <h2 id="add-heading">Share a file</h2>
          <AddFiles api={api} onAdded={onAdded} />
          <UploadLimit {...settings} />
        </section>
        <section className="card" aria-labelledby="get-heading">
          <h2 id="get-heading">Get a file</h2>
          <PasteLink api={api} onStarted={upsert} />
          <DownloadFolder {...settings} />
        </section>
      </div>
      {sharing != null && <ShareDialog file={files.find(f => f.cid === sharing.cid) ?? sharing} relayNote={relayNote(status, 'link')} onClose={() => { setSharing(null) }} />}
      <section className="card" aria-labelledby="library-heading">
        <h2 id="library-heading">Library</h2>
        {(error ?? actionError) != null && <ErrorNote error={error ?? actionError} />}
        <LibraryTable
          files={files}
          onSave={file => { act(async () => { saveFile(await api.content(file.cid), file.name) }) }}
          onShare={setSharing}
          onPin={(file, pinned) => { update(async () => await api.setPinned(file.cid, pinned)) }}
          onPause={(file, paused) => { update(async () => await (paused ? api.pause(file.cid) : api.resume(file.cid))) }}
          onRemove={file => { act(async () => { await api.remove(file.cid); refresh() }) }}
          onError={setActionError}
        />
      </section>
    </div>
  )
}
