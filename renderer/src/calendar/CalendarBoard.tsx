// The calendar as people use one: month, week and day views with Today and previous/next; click a free
// slot (or "New event") to add one, click an event to open, edit, move or cancel it — for a recurring
// event this one, this and following, or all events — and drag it to move it. Results in plain words.
import { useCallback, useEffect, useState } from 'react'
import { errorText } from '../api/client.ts'
import type { CalendarApi } from '../api/calendar.ts'
import { EventDialog } from './EventDialog.tsx'
import { MonthGrid } from './MonthGrid.tsx'
import { ScopeDialog } from './Modal.tsx'
import { TimeGrid } from './TimeGrid.tsx'
import { addDays, atMinutes, dayStart, localDate, stepAnchor, viewDays, viewTitle, type CalendarMode } from './time.ts'
import { cancelRequest, createRequest, draftAt, draftOf, draftOnDay, editRequests, moveRequests, type EventDraft, type Scope, type WriteBody } from './writes.ts'
import { instantIn, viewerZone } from './zones.ts'
import type { CalendarDetail, OccurrenceView, OutcomeChange } from './types.ts'

const MODES: Array<[CalendarMode, string]> = [['month', 'Month'], ['week', 'Week'], ['day', 'Day']]
const MODE_KEY = 'tidepool.calendar.mode'

interface Editing { occurrence: OccurrenceView | null, draft: EventDraft }

function savedMode (): CalendarMode {
  try {
    const saved = localStorage.getItem(MODE_KEY)
    return saved === 'month' || saved === 'day' ? saved : 'week'
  } catch { return 'week' }
}

const when = (iso: string): string => new Date(iso).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false })

interface Props {
  api: CalendarApi
  detail: CalendarDetail
  changed: ReadonlyMap<string, OutcomeChange>
  /** A time to bring into view (a booking just made elsewhere on the page). */
  focus: Date | null
  onWritten: () => Promise<void>
}

export function CalendarBoard ({ api, detail, changed, focus, onWritten }: Props) {
  const [mode, setMode] = useState<CalendarMode>(savedMode)
  const [anchor, setAnchor] = useState<Date>(() => dayStart(new Date()))
  const [occurrences, setOccurrences] = useState<OccurrenceView[]>([])
  const [editing, setEditing] = useState<Editing | null>(null)
  const [asking, setAsking] = useState<{ o: OccurrenceView, start: Date } | null>(null)
  const [busy, setBusy] = useState(false)
  const [dialogError, setDialogError] = useState<string | null>(null)
  const [status, setStatus] = useState<{ text: string, bad: boolean } | null>(null)
  const days = viewDays(mode, anchor)
  const [from, to] = [(days[0] as Date).getTime(), addDays(days.at(-1) as Date, 1).getTime()]

  useEffect(() => { if (focus != null) setAnchor(dayStart(focus)) }, [focus])
  useEffect(() => { try { localStorage.setItem(MODE_KEY, mode) } catch { /* private mode: not kept */ } }, [mode])

  // The view's occurrences (series expanded), again whenever the calendar or the range changes.
  useEffect(() => {
    const abort = new AbortController()
    api.occurrences(detail.id, new Date(from), new Date(to), abort.signal).then(r => { setOccurrences(r.occurrences) }, err => {
      if (!abort.signal.aborted) setStatus({ text: errorText(err), bad: true })
    })
    return () => { abort.abort() }
  }, [api, detail, from, to])

  /** Runs writes in order; the first that fails stops them. The last result's outcome is returned. */
  const run = useCallback(async (bodies: WriteBody[]): Promise<{ ok: boolean, detail: string, writeId: string } | null> => {
    let last = null
    for (const body of bodies) {
      const r = await api.write(detail.id, body)
      last = { ...r.outcome, writeId: r.writeId }
      if (!r.outcome.ok) break
    }
    return last
  }, [api, detail.id])

  const finish = async (text: string, outcome: { ok: boolean, detail: string } | null): Promise<void> => {
    setStatus(outcome == null || outcome.ok ? { text, bad: false } : { text: `${text} — but: ${outcome.detail}.`, bad: true })
    setEditing(null)
    setAsking(null)
    setDialogError(null)
    await onWritten()
  }

  const attempt = (work: () => Promise<void>): void => {
    setBusy(true)
    work().catch(err => {
      if (editing != null) setDialogError(errorText(err))
      else setStatus({ text: errorText(err), bad: true })
    }).finally(() => { setBusy(false) })
  }

  const save = (draft: EventDraft, scope: Scope): void => {
    attempt(async () => {
      const o = editing?.occurrence ?? null
      if (o == null) {
        const outcome = await run([createRequest(draft)])
        const start = draft.allDay ? new Date(`${draft.start.date}T00:00`) : new Date(instantIn(draft.zone, draft.start))
        if (start.getTime() < from || start.getTime() >= to) setAnchor(dayStart(start))
        await finish(`“${draft.title.trim()}” added${draft.allDay ? ` on ${start.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })}` : ` for ${when(start.toISOString())}`}.`, outcome)
        return
      }
      const bodies = editRequests(o, draftOf(o, viewerZone()), draft, scope)
      if (bodies.length === 0) { setEditing(null); return }
      await finish(`“${draft.title.trim()}” changed${o.recurring ? ` (${scopeWords(scope)})` : ''}.`, await run(bodies))
    })
  }

  const cancel = (scope: Scope): void => {
    const o = editing?.occurrence
    if (o == null) return
    attempt(async () => {
      const { request, cancelMade } = cancelRequest(o, scope)
      let outcome = await run([request])
      if (cancelMade && outcome?.ok === true) outcome = await run([{ op: 'cancel', eventId: outcome.writeId }])
      await finish(`“${o.title}” cancelled${o.recurring ? ` (${scopeWords(scope)})` : ''}.`, outcome)
    })
  }

  const move = (o: OccurrenceView, start: Date, scope: Scope): void => {
    attempt(async () => {
      await finish(`“${o.title}” moved to ${when(start.toISOString())}${o.recurring ? ` (${scopeWords(scope)})` : ''}.`, await run(moveRequests(o, start.getTime(), scope, viewerZone())))
    })
  }

  const newAt = (start: Date): void => { setDialogError(null); setEditing({ occurrence: null, draft: draftAt(start.getTime(), 60, viewerZone()) }) }
  const newOn = (day: Date): void => { setDialogError(null); setEditing({ occurrence: null, draft: draftOnDay(localDate(day), viewerZone()) }) }
  const open = (o: OccurrenceView): void => { setDialogError(null); setEditing({ occurrence: o, draft: draftOf(o, viewerZone()) }) }
  /** "New event": the next whole hour, on the day in view (today in a view holding today). */
  const newEvent = (): void => {
    const now = new Date()
    const day = days.some(d => localDate(d) === localDate(now)) ? now : anchor
    newAt(atMinutes(day, Math.min(23, day === now ? now.getHours() + 1 : 9) * 60))
  }

  return (
    <div className="cal-board">
      <div className="cal-toolbar" role="toolbar" aria-label="Calendar navigation">
        <button type="button" onClick={() => { setAnchor(dayStart(new Date())) }} data-testid="cal-today">Today</button>
        <button type="button" onClick={() => { setAnchor(a => stepAnchor(mode, a, -1)) }} aria-label={`Previous ${mode}`} data-testid="cal-previous">‹</button>
        <button type="button" onClick={() => { setAnchor(a => stepAnchor(mode, a, 1)) }} aria-label={`Next ${mode}`} data-testid="cal-next">›</button>
        <h3 className="cal-title" data-testid="cal-title" aria-live="polite">{viewTitle(mode, anchor)}</h3>
        <span className="cal-modes" role="group" aria-label="View">
          {MODES.map(([m, text]) => <button key={m} type="button" aria-pressed={mode === m} className={mode === m ? 'active' : ''} onClick={() => { setMode(m) }} data-testid={`cal-mode-${m}`}>{text}</button>)}
        </span>
        <button type="button" className="primary" onClick={newEvent} data-testid="cal-new">New event</button>
      </div>
      {status != null && <p className={`cal-status small${status.bad ? ' warn' : ''}`} role="status" data-testid="board-status">{status.text}</p>}
      {mode === 'month'
        ? <MonthGrid days={days} month={anchor.getMonth()} occurrences={occurrences} changed={changed} onDay={d => { setAnchor(d); setMode('day') }} onCreate={newOn} onOpen={open} />
        : <TimeGrid days={days} occurrences={occurrences} changed={changed} onSlot={newAt} onAllDaySlot={newOn} onOpen={open}
            onMove={(o, start) => { if (o.recurring) setAsking({ o, start }); else move(o, start, 'all') }} />}
      {editing != null && (
        <EventDialog
          key={editing.occurrence?.occurrenceId ?? 'new'}
          occurrence={editing.occurrence}
          initial={editing.draft}
          busy={busy}
          error={dialogError}
          onSave={save}
          onCancelEvent={cancel}
          onClose={() => { setEditing(null) }}
        />
      )}
      {asking != null && (
        <ScopeDialog title={`Move “${asking.o.title}” to ${when(asking.start.toISOString())}: which events?`} onChoose={scope => { move(asking.o, asking.start, scope) }} onClose={() => { setAsking(null) }} />
      )}
    </div>
  )
}

function scopeWords (scope: Scope): string {
  return scope === 'this' ? 'this event' : scope === 'following' ? 'this and following events' : 'all events'
}
