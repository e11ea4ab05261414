// Book a meeting with alternatives: "at 10:00, else 11:00". The outcome shown is this replica's
// tentative result; the final one is known once the primary commits the write.
import { useId, useState, type FormEvent } from 'react'
import { errorText } from '../api/client.ts'
import type { ReserveRequest } from '../api/calendar.ts'
import { localInputToIso } from './time.ts'
import type { WriteResult } from './types.ts'

export const MAX_ALTERNATIVES = 16

export function BookingForm ({ onBook }: { onBook: (request: ReserveRequest) => Promise<WriteResult> }) {
  const [title, setTitle] = useState('')
  const [duration, setDuration] = useState('60')
  const [room, setRoom] = useState('')
  const [alternatives, setAlternatives] = useState<string[]>([''])
  const [message, setMessage] = useState<{ ok: boolean, text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()

  const setAlternative = (i: number, value: string): void => { setAlternatives(prev => prev.map((v, j) => j === i ? value : v)) }

  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault()
    const starts = alternatives.map(localInputToIso)
    if (starts.some(s => s == null)) { setMessage({ ok: false, text: 'Every alternative needs a date and time.' }); return }
    setBusy(true)
    onBook({ title: title.trim(), durationMinutes: Number(duration), alternatives: starts as string[], room: room.trim() === '' ? undefined : room.trim() }).then(
      result => {
        setMessage({ ok: result.outcome.ok, text: `Written as ${result.writeId}: ${result.outcome.detail} (tentative until the primary commits it).` })
        setTitle('')
      },
      err => { setMessage({ ok: false, text: errorText(err) }) }
    ).finally(() => { setBusy(false) })
  }

  return (
    <form className="cal-form" onSubmit={onSubmit} aria-busy={busy} data-testid="booking-form">
      <div className="cal-form-row">
        <label htmlFor={`${id}-title`}>Title</label>
        <input id={`${id}-title`} data-testid="booking-title" value={title} onChange={e => { setTitle(e.target.value) }} required maxLength={200} />
        <label htmlFor={`${id}-duration`}>Minutes</label>
        <input id={`${id}-duration`} data-testid="booking-duration" type="number" min={1} max={10080} value={duration} onChange={e => { setDuration(e.target.value) }} required />
        <label htmlFor={`${id}-room`}>Room</label>
        <input id={`${id}-room`} value={room} onChange={e => { setRoom(e.target.value) }} placeholder="main" maxLength={100} />
      </div>
      <fieldset className="cal-alternatives">
        <legend>At the first free one of</legend>
        {alternatives.map((value, i) => (
          <div key={i} className="cal-form-row">
            <input type="datetime-local" aria-label={`Alternative ${i + 1}`} data-testid="booking-alternative" value={value} onChange={e => { setAlternative(i, e.target.value) }} required />
            {alternatives.length > 1 && <button type="button" onClick={() => { setAlternatives(prev => prev.filter((_, j) => j !== i)) }} aria-label={`Remove alternative ${i + 1}`}>Remove</button>}
          </div>
        ))}
        {alternatives.length < MAX_ALTERNATIVES && (
          <button type="button" data-testid="booking-add-alternative" onClick={() => { setAlternatives(prev => [...prev, '']) }}>Add an alternative</button>
        )}
      </fieldset>
      <button type="submit" className="primary" data-testid="booking-submit" disabled={busy || title.trim() === ''}>{busy ? 'Booking…' : 'Book'}</button>
      {message != null && <p className={message.ok ? 'hint' : 'banner error'} role="status" data-testid="booking-result">{message.text}</p>}
    </form>
  )
}
