// A share link opened from outside (a web page, a chat) only asks: what it is, how big, who has it —
// and downloads nothing until the user says yes.
import { useEffect, useState } from 'react'
import type { FilesApi } from '../api/files.ts'
import type { DhtApi } from '../api/dht.ts'
import type { FileEntry } from '../api/types.ts'
import { ErrorNote } from '../components/ErrorNote.tsx'
import { shortPeerId } from '../format.ts'
import { formatBytes, shortCid } from './format.ts'

/** What a link says about itself: `tidepool://<cid>?name=…&size=…[#key=…]`; null if it is no share link. */
export function describeLink (link: string): { cid: string, name: string | null, size: number | null, private: boolean } | null {
  const match = /^tidepool:\/\/([a-zA-Z0-9]+)(?:\?([^#]*))?(#.*)?$/.exec(link.trim())
  if (match == null) return null
  const query = new URLSearchParams(match[2] ?? '')
  const size = Number(query.get('size') ?? NaN)
  return { cid: match[1]!, name: query.get('name'), size: Number.isSafeInteger(size) && size >= 0 ? size : null, private: match[3] != null }
}

interface Props {
  link: string
  files: FilesApi
  dht: DhtApi
  onStarted: (file: FileEntry) => void
  onClose: () => void
}

export function ConfirmLink ({ link, files, dht, onStarted, onClose }: Props) {
  const about = describeLink(link)
  const [providers, setProviders] = useState<string[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const cid = about?.cid

  useEffect(() => {
    if (cid === undefined) return
    const abort = new AbortController()
    dht.providers(cid, abort.signal).then(found => { setProviders(found.providers.map(p => p.peerId)) }, () => { setProviders([]) })
    return () => { abort.abort() }
  }, [dht, cid])

  const accept = (): void => {
    setError(null)
    files.download(link).then(file => { onStarted(file); onClose() }, (err: unknown) => { setError(err) })
  }
  return (
    <section className="card confirm-link" role="dialog" aria-modal="false" aria-labelledby="confirm-link-heading" data-testid="confirm-link">
      <h2 id="confirm-link-heading">Download this file?</h2>
      <p>A link opened from outside Tidepool asks to download:</p>
      {about == null
        ? <p className="bad">This is not a file link Tidepool can read.</p>
        : (
          <dl className="facts">
            <div><dt>Name</dt><dd data-testid="confirm-link-name">{about.name ?? 'not given'}</dd></div>
            <div><dt>Size</dt><dd data-testid="confirm-link-size">{about.size == null ? 'not given' : formatBytes(about.size)}</dd></div>
            <div>
              <dt>From</dt>
              <dd data-testid="confirm-link-from">
                {providers == null
                  ? 'looking for peers that have it…'
                  : providers.length === 0
                    ? 'no peer found yet; the download keeps searching for one'
                    : providers.map(shortPeerId).join(', ')}
              </dd>
            </div>
            <div><dt>Content id</dt><dd><code className="mono" title={about.cid}>{shortCid(about.cid)}</code>{about.private && ' · private (encrypted)'}</dd></div>
          </dl>
          )}
      {error != null && <ErrorNote error={error} />}
      <div className="confirm-actions">
        <button type="button" className="primary" data-testid="confirm-link-yes" disabled={about == null} onClick={accept}>Download</button>
        <button type="button" data-testid="confirm-link-no" onClick={onClose}>Don’t download</button>
      </div>
    </section>
  )
}
