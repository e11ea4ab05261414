// A week of the calendar: one column per day, all 24 hours (scrolled to working hours), all-day events
// in a row above, every time in the viewer's own zone. Series appear occurrence by occurrence;
// overlapping events sit side by side. Tentative events look tentative (dashed), conflicts stand out,
// and an event a commit changed says so.
import { useEffect, useRef } from 'react'
import { addDays, formatDay, formatTime, hourOfDay, localTimes, sameDay } from './time.ts'
import { sideBySide } from './layout.ts'
import type { OccurrenceView, OutcomeChange } from './types.ts'

const HOUR_PX = 36
const WORKDAY_STARTS = 8
/** Events shorter than this are laid out as if this long, so their labels do not overlap. */
const MIN_LAYOUT_MS = 30 * 60_000

interface Props {
  start: Date
  occurrences: OccurrenceView[]
  /** Per event id: a write on it whose outcome a commit or reordering changed. */
  changed: ReadonlyMap<string, OutcomeChange>
  onPrevious: () => void
  onNext: () => void
  onToday: () => void
}

/** The local date an all-day occurrence's UTC-midnight instant stands for, as YYYY-MM-DD. */
const dateOf = (iso: string): string => iso.slice(0, 10)
const localDate = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

export function WeekGrid ({ start, occurrences, changed, onPrevious, onNext, onToday }: Props) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i))
  const hours = Array.from({ length: 24 }, (_, i) => i)
  const scroller = useRef<HTMLDivElement>(null)
  useEffect(() => { if (scroller.current != null) scroller.current.scrollTop = WORKDAY_STARTS * HOUR_PX }, [start])
  const timed = occurrences.filter(o => !o.allDay)
  const allDay = occurrences.filter(o => o.allDay)
  const label = (o: OccurrenceView): string => {
    const change = changed.get(o.seriesId)
    return `${o.title} — ${o.status}${o.room !== 'main' ? ` in ${o.room}` : ''}${o.recurring ? ' (repeats)' : ''}${change != null ? ` (changed by the log order: was “${localTimes(change.was)}”)` : ''}`
  }
  return (
    <div className="cal-week" data-testid="week-grid">
      <div className="cal-week-nav">
        <button type="button" onClick={onPrevious} aria-label="Previous week">‹</button>
        <button type="button" onClick={onToday} data-testid="week-today">Today</button>
        <button type="button" onClick={onNext} aria-label="Next week">›</button>
        <span data-testid="week-label">Week of {formatDay(start)}</span>
      </div>
      <div className="cal-week-grid cal-week-head">
        <div className="cal-hours-head" />
        {days.map(d => <div key={d.toISOString()} className={`cal-day-head${sameDay(d, new Date()) ? ' today' : ''}`}>{formatDay(d)}</div>)}
        <div className="cal-hours-head small">all day</div>
        {days.map(d => (
          <div key={d.toISOString()} className="cal-allday">
            {allDay.filter(o => dateOf(o.start) <= localDate(d) && localDate(d) < dateOf(o.end)).map(o => (
              <div key={o.occurrenceId} className={`cal-event-chip ${o.status}`} title={label(o)} data-testid="week-event">{o.title}</div>
            ))}
          </div>
        ))}
      </div>
      <div className="cal-week-scroll" ref={scroller}>
        <div className="cal-week-grid" style={{ gridTemplateRows: `${24 * HOUR_PX}px` }}>
          <div className="cal-hours">
            {hours.map(h => <div key={h} className="cal-hour" style={{ height: HOUR_PX }}>{String(h).padStart(2, '0')}:00</div>)}
          </div>
          {days.map(d => {
            const today = timed.filter(o => sameDay(new Date(o.start), d))
            const placed = sideBySide(today, o => Date.parse(o.start), o => Math.max(Date.parse(o.end), Date.parse(o.start) + MIN_LAYOUT_MS))
            return (
              <div key={d.toISOString()} className="cal-day" style={{ backgroundSize: `100% ${HOUR_PX}px` }}>
                {placed.map(({ item: o, column, columns }) => {
                  const begins = new Date(o.start)
                  const top = hourOfDay(begins) * HOUR_PX
                  const height = Math.min(24 * HOUR_PX - top, Math.max(18, (Date.parse(o.end) - Date.parse(o.start)) / 3_600_000 * HOUR_PX))
                  return (
                    <div
                      key={o.occurrenceId}
                      className={`cal-event ${o.status}`}
                      style={{ top, height, left: `calc(${(100 * column) / columns}% + 2px)`, width: `calc(${100 / columns}% - 4px)` }}
                      title={label(o)}
                      data-testid="week-event"
                    >
                      <strong>{o.title}</strong> <span className="small">{formatTime(o.start)} · {o.status}{changed.has(o.seriesId) && ' · changed'}</span>
                    </div>
                  )
                })}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
