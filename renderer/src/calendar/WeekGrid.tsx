// A week of the calendar: one column per day, events placed by time. Tentative events look tentative
// (dashed), conflicts stand out and say what was asked for, and an event a commit changed says so.
import { addDays, formatDay, formatTime, hourOfDay, localTimes, sameDay } from './time.ts'
import type { CalendarEventView } from './types.ts'

const FIRST_HOUR = 7
const LAST_HOUR = 21
const HOUR_PX = 36

interface Props {
  start: Date
  events: CalendarEventView[]
  onPrevious: () => void
  onNext: () => void
}

export function WeekGrid ({ start, events, onPrevious, onNext }: Props) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i))
  const hours = Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, i) => FIRST_HOUR + i)
  return (
    <div className="cal-week" data-testid="week-grid">
      <div className="cal-week-nav">
        <button type="button" onClick={onPrevious} aria-label="Previous week">‹</button>
        <span data-testid="week-label">Week of {formatDay(start)}</span>
        <button type="button" onClick={onNext} aria-label="Next week">›</button>
      </div>
      <div className="cal-week-grid" style={{ gridTemplateRows: `auto ${(LAST_HOUR - FIRST_HOUR) * HOUR_PX}px` }}>
        <div className="cal-hours-head" />
        {days.map(d => <div key={d.toISOString()} className="cal-day-head">{formatDay(d)}</div>)}
        <div className="cal-hours">
          {hours.map(h => <div key={h} className="cal-hour" style={{ height: HOUR_PX }}>{String(h).padStart(2, '0')}:00</div>)}
        </div>
        {days.map(d => (
          <div key={d.toISOString()} className="cal-day" style={{ backgroundSize: `100% ${HOUR_PX}px` }}>
            {events.filter(e => sameDay(new Date(e.start), d)).map(e => {
              const top = Math.max(0, (hourOfDay(new Date(e.start)) - FIRST_HOUR) * HOUR_PX)
              const height = Math.max(18, (new Date(e.end).getTime() - new Date(e.start).getTime()) / 3_600_000 * HOUR_PX)
              return (
                <div
                  key={e.id}
                  className={`cal-event ${e.status}`}
                  style={{ top, height }}
                  title={`${e.title} — ${e.status}${e.status === 'conflict' ? `: none of ${e.alternatives.map(formatTime).join(', ')} was free` : ''}${e.changed != null ? ` (changed by the log order: was “${localTimes(e.changed.was)}”)` : ''}`}
                  data-testid="week-event"
                >
                  <strong>{e.title}</strong> <span className="small">{formatTime(e.start)} · {e.status}{e.changed != null && ' · changed'}</span>
                </div>
              )
            })}
          </div>
        ))}
      </div>
    </div>
  )
}
