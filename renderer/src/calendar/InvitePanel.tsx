// An invite as text and as a QR code, for another peer to join the calendar.
import { CopyButton } from '../components/CopyButton.tsx'
import { QrCode } from '../components/QrCode.tsx'

export function InvitePanel ({ invite, relayNote }: { invite: string, relayNote: string | null }) {
  return (
    <div className="cal-invite">
      <QrCode text={invite} size={220} alt="Invite as a QR code" />
      <div>
        <textarea readOnly value={invite} data-testid="invite-text" rows={5} className="mono" aria-label="Invite" />
        <CopyButton text={invite} label="Copy the invite" />
        <p className="hint">Whoever has this text can join the calendar. Give it only to the people you mean to invite.</p>
        {relayNote != null && <p className="hint relay-note" data-testid="invite-relay-note">{relayNote}</p>}
      </div>
    </div>
  )
}
