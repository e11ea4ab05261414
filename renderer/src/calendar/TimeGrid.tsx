// The week or the day: one column per day, all 24 hours (scrolled to working hours), all-day events in
// a row above, every time in the viewer's own zone; overlapping events side by side. Click a free
// slot to make an event there; click an event to open it; drag it to move it (15-minute steps), or
// with the keyboard: arrow keys move a focused event, Enter saves the move, Escape drops it. A pointer
// opens an event on pointerup (unless it dragged); Enter or Space opens it through the click.
import { useEffect, useRef, useState } from 'react'
import { atMinutes, formatDay, formatTime, hourOfDay, localDate, localTimes, minutesAt, sameDay } from './time.ts'
import { sideBySide } from './layout.ts'
import type { OccurrenceView, OutcomeChange } from './types.ts'

export const HOUR_PX = 36
const WORKDAY_STARTS = 8
const STEP_MINUTES = 15
/** A press that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD_PX = 4
/** Events shorter than this are laid out as if this long, so their labels do not overlap. */
const MIN_LAYOUT_MS = 30 * 60_000
/** How often the line at the current time moves. */
const NOW_EVERY_MS = 60_000

interface Props {
  days: Date[]
  occurrences: OccurrenceView[]
  /** Per event id: a write on it whose outcome a commit or reordering changed. */
  changed: ReadonlyMap<string, OutcomeChange>
  onSlot: (start: Date) => void
  onAllDaySlot: (day: Date) => void
  onOpen: (o: OccurrenceView) => void
  onMove: (o: OccurrenceView, start: Date) => void
}

/** The local date an all-day occurrence's UTC-midnight instant stands for, as YYYY-MM-DD. */
const dateOf = (iso: string): string => iso.slice(0, 10)

/** An event being moved: by the pointer (not yet past the threshold: `dragging` false) or the keyboard. */
interface Moving { o: OccurrenceView, start: Date, dragging: boolean, from?: { x: number, y: number, grabMinutes: number } }

export function label (o: OccurrenceView, change: OutcomeChange | undefined): string {
  const when = o.allDay ? 'all day' : `${formatTime(o.start)}–${formatTime(o.end)}`
  return `${o.title}, ${when} — ${o.status}${o.room !== 'main' ? ` in ${o.room}` : ''}${o.recurring ? ' (repeats)' : ''}${change != null ? ` (changed by the log order: was “${localTimes(change.was)}”)` : ''}`
}

export function TimeGrid ({ days, occurrences, changed, onSlot, onAllDaySlot, onOpen, onMove }: Props) {
  const hours = Array.from({ length: 24 }, (_, i) => i)
  const scroller = useRef<HTMLDivElement>(null)
  const columns = useRef<HTMLDivElement>(null)
  const [moving, setMoving] = useState<Moving | null>(null)
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => { setNow(new Date()) }, NOW_EVERY_MS)
    return () => { clearInterval(timer) }
  }, [])
  const first = days[0]?.getTime()
  useEffect(() => { if (scroller.current != null) scroller.current.scrollTop = WORKDAY_STARTS * HOUR_PX }, [first])
  const timed = occurrences.filter(o => !o.allDay)
  const allDay = occurrences.filter(o => o.allDay)
  const length = (o: OccurrenceView): number => Date.parse(o.end) - Date.parse(o.start)

  /** The day column and minutes under a point of the page. */
  const pointAt = (x: number, y: number): { day: Date, minutes: number } | null => {
    const box = columns.current?.getBoundingClientRect()
    if (box == null || days.length === 0) return null
    const index = Math.min(days.length - 1, Math.max(0, Math.floor((x - box.left) / (box.width / days.length))))
    return { day: days[index] as Date, minutes: minutesAt(y - box.top, HOUR_PX, STEP_MINUTES) }
  }

  const keyMove = (e: React.KeyboardEvent, o: OccurrenceView): void => {
    const steps: Record<string, number> = { ArrowUp: -STEP_MINUTES, ArrowDown: STEP_MINUTES, ArrowLeft: -1440, ArrowRight: 1440 }
    const step = steps[e.key]
    const current = moving?.o.occurrenceId === o.occurrenceId ? moving : null
    if (step !== undefined) {
      if (days.length === 1 && Math.abs(step) === 1440) return
      e.preventDefault()
      const base = current?.start ?? new Date(o.start)
      setMoving({ o, start: new Date(base.getTime() + step * 60_000), dragging: false })
    } else if (e.key === 'Enter' && current != null) {
      e.preventDefault()
      setMoving(null)
      if (current.start.getTime() !== Date.parse(o.start)) onMove(o, current.start)
    } else if (e.key === 'Escape' && current != null) {
      e.preventDefault()
      e.stopPropagation()
      setMoving(null)
    }
  }

  const onPointerDown = (e: React.PointerEvent, o: OccurrenceView): void => {
    if (e.button !== 0) return
    const at = pointAt(e.clientX, e.clientY)
    if (at == null) return
    e.currentTarget.setPointerCapture(e.pointerId)
    const begins = new Date(o.start)
    const grabMinutes = at.minutes - (begins.getHours() * 60 + begins.getMinutes())
    setMoving({ o, start: begins, dragging: false, from: { x: e.clientX, y: e.clientY, grabMinutes } })
  }
  const onPointerMove = (e: React.PointerEvent): void => {
    if (moving?.from == null) return
    if (!moving.dragging && Math.hypot(e.clientX - moving.from.x, e.clientY - moving.from.y) < DRAG_THRESHOLD_PX) return
    const at = pointAt(e.clientX, e.clientY)
    if (at == null) return
    const minutes = Math.min(Math.max(at.minutes - moving.from.grabMinutes, 0), 24 * 60 - STEP_MINUTES)
    setMoving({ ...moving, dragging: true, start: atMinutes(at.day, Math.round(minutes / STEP_MINUTES) * STEP_MINUTES) })
  }
  const onPointerUp = (o: OccurrenceView): void => {
    const m = moving
    setMoving(null)
    if (m?.from == null) return
    if (!m.dragging) onOpen(o)
    else if (m.start.getTime() !== Date.parse(o.start)) onMove(o, m.start)
  }

  const slotClick = (e: React.MouseEvent<HTMLDivElement>, day: Date): void => {
    if (e.target !== e.currentTarget) return // on an event
    const box = e.currentTarget.getBoundingClientRect()
    onSlot(atMinutes(day, minutesAt(e.clientY - box.top, HOUR_PX, 30)))
  }

  return (
    <div className={`cal-time cal-days-${days.length}`} data-testid="time-grid">
      <div className="cal-time-grid cal-time-head">
        <div className="cal-hours-head" />
        {days.map(d => <div key={d.toISOString()} className={`cal-day-head${sameDay(d, now) ? ' today' : ''}`}>{formatDay(d)}</div>)}
        <div className="cal-hours-head small">all day</div>
        {days.map(d => (
          <div key={d.toISOString()} className="cal-allday" onClick={e => { if (e.target === e.currentTarget) onAllDaySlot(d) }} data-testid="allday-slot" data-date={localDate(d)}>
            {allDay.filter(o => dateOf(o.start) <= localDate(d) && localDate(d) < dateOf(o.end)).map(o => (
              <button type="button" key={o.occurrenceId} className={`cal-event-chip ${o.status}`} title={label(o, changed.get(o.seriesId))} aria-label={label(o, changed.get(o.seriesId))} data-testid="week-event" onClick={() => { onOpen(o) }}>{o.title}</button>
            ))}
          </div>
        ))}
      </div>
      <div className="cal-time-scroll" ref={scroller} tabIndex={0} role="region" aria-label="Hours of the day">
        <div className="cal-time-grid">
          <div className="cal-hours">
            {hours.map(h => <div key={h} className="cal-hour">{String(h).padStart(2, '0')}:00</div>)}
          </div>
          <div className="cal-columns" ref={columns}>
            {days.map(d => {
              const shown = timed.filter(o => sameDay(new Date(o.start), d))
              const placed = sideBySide(shown, o => Date.parse(o.start), o => Math.max(Date.parse(o.end), Date.parse(o.start) + MIN_LAYOUT_MS))
              const ghost = moving != null && sameDay(moving.start, d) && (moving.dragging || moving.from == null) ? moving : null
              return (
                <div key={d.toISOString()} className="cal-day" onClick={e => { slotClick(e, d) }} data-testid="day-column" data-date={localDate(d)}>
                  {placed.map(({ item: o, column, columns: n }) => {
                    const top = hourOfDay(new Date(o.start)) * HOUR_PX
                    const height = Math.min(24 * HOUR_PX - top, Math.max(18, length(o) / 3_600_000 * HOUR_PX))
                    const isMoving = moving?.o.occurrenceId === o.occurrenceId && (moving.dragging || moving.from == null)
                    return (
                      <button
                        type="button"
                        key={o.occurrenceId}
                        className={`cal-event ${o.status}${isMoving ? ' moving' : ''}`}
                        style={{ top, height, left: `calc(${(100 * column) / n}% + 2px)`, width: `calc(${100 / n}% - 4px)` }}
                        title={label(o, changed.get(o.seriesId))}
                        aria-label={label(o, changed.get(o.seriesId))}
                        aria-describedby="cal-move-help"
                        data-testid="week-event"
                        data-start={o.start}
                        onPointerDown={e => { onPointerDown(e, o) }}
                        onPointerMove={onPointerMove}
                        onPointerUp={() => { onPointerUp(o) }}
                        onPointerCancel={() => { setMoving(null) }}
                        onKeyDown={e => { keyMove(e, o) }}
                        onClick={e => { if (e.detail === 0 && moving == null) onOpen(o) }}
                      >
                        <strong>{o.title}</strong> <span className="small">{formatTime(o.start)}{o.status !== 'committed' && ` · ${o.status}`}{changed.has(o.seriesId) && ' · changed'}{o.recurring && ' ↻'}</span>
                      </button>
                    )
                  })}
                  {sameDay(d, now) && <div className="cal-now" style={{ top: hourOfDay(now) * HOUR_PX }} aria-hidden="true" />}
                  {ghost != null && (
                    <div className="cal-ghost" style={{ top: hourOfDay(ghost.start) * HOUR_PX, height: Math.max(18, length(ghost.o) / 3_600_000 * HOUR_PX) }} data-testid="move-ghost" aria-hidden="true">
                      {ghost.o.title} → {formatTime(ghost.start.toISOString())}
                    </div>
                  )}
                </div>
              )
            })}
          </div>
        </div>
      </div>
      <p id="cal-move-help" className="hint">Click a free time to add an event. Drag an event to move it, or focus it and use the arrow keys, then Enter (Escape to leave it).</p>
      <p className="offscreen" aria-live="polite" data-testid="move-status">{moving != null && (moving.dragging || moving.from == null) ? `${moving.o.title}: to ${moving.start.toLocaleString([], { weekday: 'long', hour: '2-digit', minute: '2-digit', hour12: false })}. Enter to save, Escape to leave it.` : ''}</p>
    </div>
  )
}
