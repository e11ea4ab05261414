// Shared and downloaded files with their state, progress, rate, ETA and providers.
import { useState } from 'react'
import type { FileEntry } from '../api/types.ts'
import { formatBytes, formatEta, formatRate, shortCid } from './format.ts'
import { desktopBridge } from './desktop.ts'

interface Props {
  files: FileEntry[]
  onShare: (file: FileEntry) => void
  onPin: (file: FileEntry, pinned: boolean) => void
  onPause: (file: FileEntry, paused: boolean) => void
  onRemove: (file: FileEntry) => void
  onError: (message: string) => void
}

function Progress ({ file }: { file: FileEntry }) {
  const fraction = file.size == null || file.size === 0 ? (file.state === 'downloading' ? 0 : 1) : file.bytesDone / file.size
  return (
    <div className="progress" title={`${formatBytes(file.bytesDone)} of ${formatBytes(file.size)}`}>
      <progress max={1} value={fraction} aria-label={`${file.name}: ${Math.round(fraction * 100)}%`} />
      {file.state === 'downloading' && (
        <span className="small muted">{formatRate(file.rateBytesPerSec)} · ETA {formatEta(file.etaSeconds)}</span>
      )}
    </div>
  )
}

export function LibraryTable ({ files, onShare, onPin, onPause, onRemove, onError }: Props) {
  // In a plain browser the folder can't be opened, so the path is shown instead.
  const [shownPath, setShownPath] = useState<string | null>(null)
  const showInFolder = (file: FileEntry): void => {
    const bridge = desktopBridge()
    if (bridge === undefined) setShownPath(shownPath === file.cid ? null : file.cid)
    else bridge.revealInFolder(file.path!).catch(err => { onError(`${file.name}: ${(err as Error).message}`) })
  }
  return (
    <div className="table-wrap">
      <table className="peers-table files-table" data-testid="files-table">
        <caption>{files.length === 0 ? 'Nothing shared or downloaded yet.' : `${files.length} file${files.length === 1 ? '' : 's'}`}</caption>
        <thead>
          <tr>
            <th>Name</th>
            <th className="num">Size</th>
            <th>State</th>
            <th>Progress</th>
            <th className="num">Providers</th>
            <th>Content id</th>
            <th><span className="offscreen">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {files.map(file => (
            <tr key={file.cid} data-testid={`file-row-${file.cid}`} data-state={file.state}>
              <td className="break">
                {file.name}{file.private && <span className="badge badge-off" title="Encrypted; the key is only in the link"> private</span>}
                {shownPath === file.cid && file.path != null && <div><code className="mono small" data-testid="file-path">{file.path}</code></div>}
              </td>
              <td className="num">{formatBytes(file.size)}</td>
              <td>
                <span className={`badge state-${file.state}`} data-testid="file-state">{file.state}</span>
                {file.error != null && <div className="small bad">{file.error}</div>}
                {file.dropped.length > 0 && <div className="small bad">{file.dropped.length} lying provider(s) dropped</div>}
              </td>
              <td><Progress file={file} /></td>
              {/* Downloading: pulled from now; afterwards: those that delivered verified chunks. */}
              <td className="num" title={file.providers.join('\n')} data-testid="file-providers">{file.state === 'downloading' || file.providers.length > 0 ? file.providers.length : '—'}</td>
              <td><code className="mono" title={file.cid}>{shortCid(file.cid)}</code></td>
              <td className="actions">
                <button type="button" onClick={() => { onShare(file) }} data-testid="file-share">Share</button>
                {file.state === 'downloading' && <button type="button" onClick={() => { onPause(file, true) }} data-testid="file-pause">Pause</button>}
                {(file.state === 'paused' || file.state === 'failed') && <button type="button" onClick={() => { onPause(file, false) }} data-testid="file-resume">Resume</button>}
                {file.path != null && <button type="button" onClick={() => { showInFolder(file) }} data-testid="file-show">Show in folder</button>}
                <button type="button" onClick={() => { onPin(file, !file.pinned) }}>{file.pinned ? 'Unpin' : 'Pin'}</button>
                <button type="button" onClick={() => { onRemove(file) }}>Remove</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
