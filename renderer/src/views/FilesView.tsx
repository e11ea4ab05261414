// Files: add (picker, drop), share (link, QR), download from a pasted link, and the library.
import { useState } from 'react'
import { errorText, type ApiClient } from '../api/client.ts'
import type { EventStream } from '../api/events.ts'
import type { FileEntry } from '../api/types.ts'
import { AddFiles } from '../files/AddFiles.tsx'
import { LibraryTable } from '../files/LibraryTable.tsx'
import { PasteLink } from '../files/PasteLink.tsx'
import { ShareDialog } from '../files/ShareDialog.tsx'
import { UploadLimit } from '../files/UploadLimit.tsx'
import { parseFileEntry } from '../files/parse.ts'
import { useFiles } from '../files/useFiles.ts'
import '../files/files.css'

export function FilesView ({ client, stream }: { client: ApiClient, stream: EventStream }) {
  const { files, error, upsert, refresh } = useFiles(client, stream)
  const [sharing, setSharing] = useState<FileEntry | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)

  const act = (run: () => Promise<void>): void => {
    setActionError(null)
    run().catch(err => { setActionError(errorText(err)) })
  }
  const onAdded = (file: FileEntry): void => { upsert(file); setSharing(file) }
  /** A POST that answers with the file's new entry. */
  const update = (file: FileEntry, action: string, body?: unknown): void => {
    act(async () => {
      const updated = parseFileEntry(await client.request<unknown>('POST', `/api/files/${file.cid}/${action}`, body))
      if (updated != null) upsert(updated)
    })
  }

  return (
    <div className="view files-view">
      <h1>Files</h1>
      <div className="two-columns">
        <section className="card" aria-labelledby="add-heading">
          <h2 id="add-heading">Share a file</h2>
          <AddFiles client={client} onAdded={onAdded} />
          <UploadLimit client={client} />
        </section>
        <section className="card" aria-labelledby="get-heading">
          <h2 id="get-heading">Get a file</h2>
          <PasteLink client={client} onStarted={upsert} />
        </section>
      </div>
      {sharing != null && <ShareDialog file={files.find(f => f.cid === sharing.cid) ?? sharing} onClose={() => { setSharing(null) }} />}
      <section className="card" aria-labelledby="library-heading">
        <h2 id="library-heading">Library</h2>
        {(error ?? actionError) != null && <p className="banner error" role="alert">{error ?? actionError}</p>}
        <LibraryTable
          files={files}
          onShare={setSharing}
          onPin={(file, pinned) => { update(file, 'pin', { pinned }) }}
          onPause={(file, paused) => { update(file, paused ? 'pause' : 'resume') }}
          onRemove={file => { act(async () => { await client.request('DELETE', `/api/files/${file.cid}`); refresh() }) }}
          onError={setActionError}
        />
      </section>
    </div>
  )
}
