// The month: whole weeks from Monday, each day with its events in time order (all-day first) up to
// a few, then "+N more". Click a day's free space to add an all-day event, its number to open the
// day, an event to open it. Times in the viewer's zone.
import { formatTime, localDate, sameDay } from './time.ts'
import { label } from './TimeGrid.tsx'
import type { OccurrenceView, OutcomeChange } from './types.ts'

const SHOWN_A_DAY = 3

interface Props {
  days: Date[]
  month: number
  occurrences: OccurrenceView[]
  changed: ReadonlyMap<string, OutcomeChange>
  onDay: (day: Date) => void
  onCreate: (day: Date) => void
  onOpen: (o: OccurrenceView) => void
}

/** Whether an occurrence is on a local day: an all-day one by its dates, a timed one if it overlaps the day. */
function onDay (o: OccurrenceView, day: Date): boolean {
  const date = localDate(day)
  if (o.allDay) return o.start.slice(0, 10) <= date && date < o.end.slice(0, 10)
  const from = day.getTime()
  const to = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime()
  const [s, e] = [Date.parse(o.start), Date.parse(o.end)]
  return s < to && (e > from || s === from)
}

export function MonthGrid ({ days, month, occurrences, changed, onDay: openDay, onCreate, onOpen }: Props) {
  const today = new Date()
  return (
    <div className="cal-month" data-testid="month-grid">
      {['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map(d => <div key={d} className="cal-month-head" aria-hidden="true">{d}</div>)}
      {days.map(day => {
        const events = occurrences.filter(o => onDay(o, day)).sort((a, b) => Number(b.allDay) - Number(a.allDay))
        const more = events.length - SHOWN_A_DAY
        return (
          <div
            key={day.toISOString()}
            className={`cal-month-day${day.getMonth() !== month ? ' other-month' : ''}${sameDay(day, today) ? ' today' : ''}`}
            onClick={e => { if (e.target === e.currentTarget) onCreate(day) }}
            data-testid="month-day"
            data-date={localDate(day)}
          >
            <button type="button" className="cal-month-date" onClick={() => { openDay(day) }} aria-label={`Open ${day.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' })}`}>{day.getDate()}</button>
            {events.slice(0, more > 0 ? SHOWN_A_DAY - 1 : SHOWN_A_DAY).map(o => (
              <button type="button" key={o.occurrenceId} className={`cal-month-event ${o.status}${o.allDay ? ' all-day' : ''}`} title={label(o, changed.get(o.seriesId))} aria-label={`${o.allDay ? '' : `${formatTime(o.start)} `}${label(o, changed.get(o.seriesId))}`} data-testid="week-event" onClick={() => { onOpen(o) }}>
                {!o.allDay && <span className="small">{formatTime(o.start)} </span>}{o.title}
              </button>
            ))}
            {more > 0 && <button type="button" className="cal-month-more small" onClick={() => { openDay(day) }} data-testid="month-more">+{more + 1} more</button>}
          </div>
        )
      })}
    </div>
  )
}
