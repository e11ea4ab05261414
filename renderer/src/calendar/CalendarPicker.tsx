// The calendars on this peer, and forms to create one or join one with an invite.
import { useState, type FormEvent } from 'react'
import { errorText } from '../api/client.ts'
import type { CalendarSummary } from './types.ts'

interface Props {
  calendars: CalendarSummary[]
  selected: string | null
  onSelect: (id: string) => void
  onCreate: (name: string) => Promise<void>
  onJoin: (invite: string) => Promise<void>
}

export function CalendarPicker ({ calendars, selected, onSelect, onCreate, onJoin }: Props) {
  const [name, setName] = useState('')
  const [invite, setInvite] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const run = (e: FormEvent<HTMLFormElement>, action: () => Promise<void>, reset: () => void): void => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    action().then(reset, err => { setError(errorText(err)) }).finally(() => { setBusy(false) })
  }

  return (
    <div className="cal-picker">
      {calendars.length > 0 && (
        <ul className="cal-list" data-testid="calendar-list">
          {calendars.map(c => (
            <li key={c.id}>
              <button type="button" className={`nav-item ${c.id === selected ? 'active' : ''}`} onClick={() => { onSelect(c.id) }} data-testid="calendar-item">
                {c.name} <span className="muted small">{c.events} events · {c.members} members</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="cal-form-row" onSubmit={e => { run(e, async () => { await onCreate(name.trim()) }, () => { setName('') }) }}>
        <input aria-label="New calendar name" data-testid="create-name" value={name} onChange={e => { setName(e.target.value) }} placeholder="New calendar name" maxLength={200} />
        <button type="submit" data-testid="create-calendar" disabled={busy || name.trim() === ''}>Create</button>
      </form>
      <form className="cal-form-row" onSubmit={e => { run(e, async () => { await onJoin(invite.trim()) }, () => { setInvite('') }) }}>
        <input aria-label="Invite" data-testid="join-invite" className="mono" value={invite} onChange={e => { setInvite(e.target.value) }} placeholder="tidepool-calendar:…" />
        <button type="submit" data-testid="join-calendar" disabled={busy || invite.trim() === ''}>Join</button>
      </form>
      {error != null && <p className="banner error" role="alert" data-testid="calendar-error">{error}</p>}
    </div>
  )
}
