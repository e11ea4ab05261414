// Shared and downloaded files: name and size, state with progress, providers, and what can be done —
// Save (the browser's download, under the file's own name) once the bytes are all here; in the desktop
// app, Open and Show in folder on the copy saved in the download folder.
import { useState } from 'react'
import type { FileEntry } from '../api/types.ts'
import { usePaged } from '../components/Pager.tsx'
import { formatBytes, formatEta, formatRate, shortCid } from './format.ts'
import { desktopBridge } from './desktop.ts'

interface Props {
  files: FileEntry[]
  onSave: (file: FileEntry) => void
  onShare: (file: FileEntry) => void
  onPin: (file: FileEntry, pinned: boolean) => void
  onPause: (file: FileEntry, paused: boolean) => void
  onRemove: (file: FileEntry) => void
  onError: (message: string) => void
}

/** Every byte is here: shared from this peer, or a finished download. */
const hasAllBytes = (file: FileEntry): boolean => file.state === 'sharing' || file.state === 'complete'

function Progress ({ file }: { file: FileEntry }) {
  if (hasAllBytes(file)) return null
  const fraction = file.size == null || file.size === 0 ? 0 : file.bytesDone / file.size
  const percent = Math.floor(fraction * 100)
  return (
    <div className="progress">
      <progress max={1} value={fraction} aria-label={`${file.name}: ${percent}%`} />
      <span className="small muted" data-testid="file-progress">
        {formatBytes(file.bytesDone)}{file.size != null && ` of ${formatBytes(file.size)} · ${percent}%`}
        {file.state === 'downloading' && file.rateBytesPerSec > 0 && ` · ${formatRate(file.rateBytesPerSec)}`}
        {file.state === 'downloading' && file.etaSeconds != null && ` · ${formatEta(file.etaSeconds)} left`}
      </span>
    </div>
  )
}

export function LibraryTable ({ files, onSave, onShare, onPin, onPause, onRemove, onError }: Props) {
  const { shown, pager } = usePaged(files, 'Library')
  const bridge = desktopBridge()
  const desktop = (file: FileEntry, action: 'openPath' | 'revealInFolder'): void => {
    if (bridge === undefined || file.saved == null) return
    bridge[action](file.saved).catch((err: unknown) => { onError(`${file.name}: ${(err as Error).message}`) })
  }
  return (
    <div className="table-wrap">
      <table className="peers-table files-table" data-testid="files-table">
        <caption>{files.length === 0 ? 'Nothing shared or downloaded yet.' : `${files.length} file${files.length === 1 ? '' : 's'}`}</caption>
        <thead>
          <tr>
            <th>Name</th>
            <th>State</th>
            <th className="num">Providers</th>
            <th><span className="offscreen">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {shown.map(file => (
            <tr key={file.cid} data-testid={`file-row-${file.cid}`} data-state={file.state}>
              <td className="file-name">
                {file.name}{file.private && <span className="badge badge-off" title="Encrypted; the key is only in the link"> private</span>}
                <div className="small muted">{formatBytes(file.size)} · <code className="mono" title={file.cid}>{shortCid(file.cid)}</code></div>
                <FileDetails file={file} />
              </td>
              <td>
                <span className={`badge state-${file.state}`} data-testid="file-state">{file.state}</span>
                {file.error != null && <div className="small bad">{file.error}</div>}
                {file.saved != null && <div className="small muted break" data-testid="file-saved">saved as <code className="mono">{file.saved}</code></div>}
                {file.dropped.length > 0 && <div className="small bad">{file.dropped.length} lying provider(s) dropped</div>}
                <Progress file={file} />
              </td>
              {/* Downloading: pulled from now; afterwards: those that delivered verified chunks. */}
              <td className="num" data-testid="file-providers">{file.state === 'downloading' || file.providers.length > 0 ? file.providers.length : '—'}</td>
              <td>
                <div className="actions">
                  {hasAllBytes(file) && <button type="button" className="primary" onClick={() => { onSave(file) }} data-testid="file-save">Save</button>}
                  <button type="button" onClick={() => { onShare(file) }} data-testid="file-share">Share</button>
                  {file.state === 'downloading' && <button type="button" onClick={() => { onPause(file, true) }} data-testid="file-pause">Pause</button>}
                  {file.state === 'paused' && <button type="button" onClick={() => { onPause(file, false) }} data-testid="file-resume">Resume</button>}
                  {file.state === 'failed' && <button type="button" onClick={() => { onPause(file, false) }} data-testid="file-resume">Retry</button>}
                  {bridge !== undefined && file.saved != null && <button type="button" onClick={() => { desktop(file, 'openPath') }} data-testid="file-open">Open</button>}
                  {bridge !== undefined && file.saved != null && <button type="button" onClick={() => { desktop(file, 'revealInFolder') }} data-testid="file-show">Show in folder</button>}
                  <button type="button" onClick={() => { onPin(file, !file.pinned) }}>{file.pinned ? 'Unpin' : 'Pin'}</button>
                  <button type="button" onClick={() => { onRemove(file) }}>Remove</button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pager}
    </div>
  )
}

/** The internals, for the curious: the whole content id, where the bytes are kept, who provided them. */
function FileDetails ({ file }: { file: FileEntry }) {
  return (
    <details className="small">
      <summary>Details</summary>
      <dl className="file-details">
        <dt>Content id</dt><dd><code className="mono break">{file.cid}</code></dd>
        {file.path != null && <><dt>Stored at</dt><dd><code className="mono break" data-testid="file-path">{file.path}</code></dd></>}
        {file.providers.length > 0 && <><dt>Providers</dt><dd><code className="mono break">{file.providers.join(' ')}</code></dd></>}
        <dt>Chunks</dt><dd>{file.fetchedChunks} fetched, {file.resumedChunks} resumed</dd>
      </dl>
    </details>
  )
}
