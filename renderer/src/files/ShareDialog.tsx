// The share link of a file, with copy and a QR code.
import { CopyButton } from '../components/CopyButton.tsx'
import { QrCode } from '../components/QrCode.tsx'
import type { FileEntry } from '../api/types.ts'

export function ShareDialog ({ file, relayNote, onClose }: { file: FileEntry, relayNote: string | null, onClose: () => void }) {
  return (
    <section className="card share-dialog" role="dialog" aria-labelledby="share-heading" data-testid="share-dialog">
      <h2 id="share-heading">Share “{file.name}”</h2>
      <div className="with-copy">
        <code className="mono break" data-testid="share-link">{file.link}</code>
        <CopyButton text={file.link} label="Copy the share link" />
      </div>
      <div className="with-copy">
        <span className="muted">Content id</span>
        <code className="mono break">{file.cid}</code>
        <CopyButton text={file.cid} label="Copy the content id" />
      </div>
      <QrCode text={file.link} size={200} alt={`QR code of the link to ${file.name}`} testId="share-qr" />
      <p className="hint">Anyone on this Tidepool network who opens the link finds this peer through the DHT and downloads the file, verified chunk by chunk.</p>
      {relayNote != null && <p className="hint relay-note" data-testid="share-relay-note">{relayNote}</p>}
      <button type="button" onClick={onClose}>Close</button>
    </section>
  )
}
