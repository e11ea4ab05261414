// The events as a list, each with its status; a conflict lists the times that were asked for; an event
// whose outcome a commit changed (moved, or now a conflict) says what it was before. A series is one
// item: cancelling it cancels every occurrence, so that asks first (one occurrence: open it in the board).
import { formatAllDay, formatDateTime, formatTime, localTimes } from './time.ts'
import type { CalendarEventView } from './types.ts'

const STATUS_TEXT = { committed: 'committed', tentative: 'tentative — may still move', conflict: 'conflict — no alternative was free' }

export function Agenda ({ events, onCancel }: { events: CalendarEventView[], onCancel: (id: string) => void }) {
  if (events.length === 0) return <p className="muted">No events yet. Book one above.</p>
  return (
    <ul className="cal-agenda" data-testid="agenda">
      {events.map(e => (
        <li key={e.id} className={`cal-agenda-item ${e.status}`} data-testid="agenda-event" data-title={e.title} data-status={e.status}>
          <span className={`cal-badge ${e.status}`}>{STATUS_TEXT[e.status]}</span>
          <strong>{e.title}</strong>
          <span>{e.allDay ? formatAllDay(e.start, e.end) : `${formatDateTime(e.start)}–${formatTime(e.end)}`}{e.recurring && ' (first), repeats'}</span>
          <span className="muted small">room {e.room}</span>
          {e.status === 'conflict' && <span className="small">asked for: {e.alternatives.map(formatDateTime).join(', ')}</span>}
          {e.changed != null && (
            <span className="cal-changed small" data-testid="event-changed">
              Changed by the log order: this {e.changed.op} first gave “{localTimes(e.changed.was)}”, now “{localTimes(e.changed.now)}”
            </span>
          )}
          {e.recurring
            ? <button type="button" className="small" onClick={() => { if (window.confirm(`Cancel every occurrence of “${e.title}”? To cancel only one, open it in the calendar above.`)) onCancel(e.id) }} aria-label={`Cancel all of ${e.title}`}>Cancel all</button>
            : <button type="button" className="small" onClick={() => { onCancel(e.id) }} aria-label={`Cancel ${e.title}`}>Cancel</button>}
        </li>
      ))}
    </ul>
  )
}
