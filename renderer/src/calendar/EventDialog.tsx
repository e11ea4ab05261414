// Create or open an event: title, room/location, description, attendees, all-day, start and end in a
// chosen IANA zone (the viewer's by default), a repeat rule, a reminder. For a recurring event the
// change or the cancel is for this event, this and following, or all events. The event's ids and
// revision are shown only under "Under the hood".
import { useMemo, useState } from 'react'
import { Modal, ScopeChoice } from './Modal.tsx'
import { askForNotifications } from './Reminders.tsx'
import { DAY_NAMES, WEEKDAYS, describeRrule, weekdayOf, type Frequency, type Preset, type Repeat } from './repeat.ts'
import { draftProblem, type EventDraft, type Scope } from './writes.ts'
import { instantIn, viewerZone, zoneNames } from './zones.ts'
import type { OccurrenceView } from './types.ts'

const REMINDERS: Array<[string, number | null]> = [['None', null], ['At the start', 0], ['5 minutes before', 5], ['10 minutes before', 10], ['15 minutes before', 15], ['30 minutes before', 30], ['1 hour before', 60], ['1 day before', 1440]]

const STATE_TEXT = {
  tentative: 'Not confirmed yet: it may still move if someone else booked the room first.',
  conflict: 'Its room was already taken at this time: pick another time or room.'
}

interface Props {
  /** null: a new event. */
  occurrence: OccurrenceView | null
  initial: EventDraft
  busy: boolean
  error: string | null
  onSave: (draft: EventDraft, scope: Scope) => void
  onCancelEvent: (scope: Scope) => void
  onClose: () => void
}

export function EventDialog ({ occurrence, initial, busy, error, onSave, onCancelEvent, onClose }: Props) {
  const [d, setD] = useState<EventDraft>(initial)
  const [scope, setScope] = useState<Scope>('this')
  const [tried, setTried] = useState(false)
  const zones = useMemo(zoneNames, [])
  const recurring = occurrence?.recurring === true
  // An event booked with alternative times (no zone, no series) can be moved and renamed only.
  const booked = occurrence != null && occurrence.seriesStart == null
  const set = <K extends keyof EventDraft>(key: K, value: EventDraft[K]): void => { setD(prev => ({ ...prev, [key]: value })) }
  const setRepeat = (r: Partial<Repeat>): void => {
    setD(prev => {
      const next = { ...prev.repeat, ...r }
      // "Weekly on…" starts on the event's own weekday.
      if ((next.preset === 'weekly' || next.preset === 'custom') && next.days.length === 0) next.days = [weekdayOf(prev.start.date)]
      return { ...prev, repeat: next }
    })
  }
  const problem = draftProblem(d)
  const here = viewerZone()
  const yourTime = !d.allDay && d.zone !== here && problem == null
    ? new Date(instantIn(d.zone, d.start)).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false })
    : null
  const heading = occurrence == null ? 'New event' : `Edit “${occurrence.title}”`
  return (
    <Modal labelledBy="cal-event-heading" onClose={onClose} testId="event-dialog" className="cal-event-dialog">
      <form onSubmit={e => { e.preventDefault(); setTried(true); if (problem == null) onSave(d, scope) }} noValidate>
        <h2 id="cal-event-heading">{heading}</h2>
        {occurrence != null && recurring && <p className="hint" data-testid="event-repeats">{describeRrule(occurrence.rrule, occurrence.zone)}</p>}
        {occurrence != null && occurrence.status !== 'committed' && <p className={`hint${occurrence.status === 'conflict' ? ' warn' : ''}`} data-testid="event-state">{STATE_TEXT[occurrence.status]}</p>}
        <div className="cal-fields">
          <label className="wide">Title
            <input value={d.title} onChange={e => { set('title', e.target.value) }} data-testid="event-title" aria-invalid={tried && d.title.trim() === ''} autoFocus />
          </label>
          <label>Room or place
            <input value={d.room} onChange={e => { set('room', e.target.value) }} placeholder="main" data-testid="event-room" />
          </label>
          <label>Attendees
            <input value={d.attendees} onChange={e => { set('attendees', e.target.value) }} placeholder="Ana, Bo, cy@example.org" data-testid="event-attendees" disabled={booked} />
          </label>
          <label className="cal-check wide">
            <input type="checkbox" checked={d.allDay} onChange={e => { set('allDay', e.target.checked) }} data-testid="event-all-day" disabled={booked} />
            All day
          </label>
          <label>{d.allDay ? 'First day' : 'Starts'}
            <span className="cal-when">
              <input type="date" value={d.start.date} onChange={e => { const date = e.target.value; setD(p => ({ ...p, start: { ...p.start, date }, end: p.end.date < date ? { ...p.end, date } : p.end })) }} data-testid="event-start-date" aria-label={d.allDay ? 'First day' : 'Start date'} />
              {!d.allDay && <input type="time" value={d.start.time} onChange={e => { set('start', { ...d.start, time: e.target.value }) }} data-testid="event-start-time" aria-label="Start time" />}
            </span>
          </label>
          <label>{d.allDay ? 'Last day' : 'Ends'}
            <span className="cal-when">
              <input type="date" value={d.end.date} onChange={e => { set('end', { ...d.end, date: e.target.value }) }} data-testid="event-end-date" aria-label={d.allDay ? 'Last day' : 'End date'} />
              {!d.allDay && <input type="time" value={d.end.time} onChange={e => { set('end', { ...d.end, time: e.target.value }) }} data-testid="event-end-time" aria-label="End time" />}
            </span>
          </label>
          {!d.allDay && (
            <label>Time zone
              <select value={d.zone} onChange={e => { set('zone', e.target.value) }} data-testid="event-zone" disabled={booked}>
                {zones.map(z => <option key={z} value={z}>{z === here ? `${z} (yours)` : z}</option>)}
              </select>
              {yourTime != null && <span className="hint" data-testid="event-your-time">Starts {yourTime} your time</span>}
            </label>
          )}
          <label>Reminder
            <select value={String(d.reminderMinutes)} onChange={e => { askForNotifications(); set('reminderMinutes', e.target.value === 'null' ? null : Number(e.target.value)) }} data-testid="event-reminder" disabled={booked}>
              {REMINDERS.map(([label, minutes]) => <option key={label} value={String(minutes)}>{label}</option>)}
            </select>
          </label>
          {!(recurring && scope === 'this') && !booked && <RepeatFields repeat={d.repeat} onChange={setRepeat} />}
          <label className="wide">Description
            <textarea value={d.description} onChange={e => { set('description', e.target.value) }} rows={3} data-testid="event-description" disabled={booked} />
          </label>
        </div>
        {booked && <p className="hint">Booked with alternative times: it can be moved and renamed here.</p>}
        {recurring && <ScopeChoice value={scope} onChange={setScope} legend="Change or cancel" />}
        {tried && problem != null && <p className="banner error" role="alert" data-testid="event-problem">{problem}</p>}
        {error != null && <p className="banner error" role="alert" data-testid="event-error">{error}</p>}
        <div className="cal-dialog-buttons">
          <button type="submit" className="primary" disabled={busy} data-testid="event-save">{occurrence == null ? 'Create' : 'Save'}</button>
          {occurrence != null && <button type="button" className="danger" disabled={busy} onClick={() => { onCancelEvent(scope) }} data-testid="event-cancel">Cancel event{recurring ? 's' : ''}…</button>}
          <button type="button" onClick={onClose} data-testid="event-close">Close</button>
        </div>
        {occurrence != null && (
          <details className="small cal-hood" data-testid="event-hood">
            <summary>Under the hood</summary>
            <dl className="facts">
              <div><dt>Event (write id)</dt><dd className="mono">{occurrence.seriesId}</dd></div>
              <div><dt>Occurrence</dt><dd className="mono">{occurrence.occurrence}</dd></div>
              <div><dt>“All events” changes seen</dt><dd className="mono">{occurrence.rev}</dd></div>
              <div><dt>Status</dt><dd>{occurrence.status}</dd></div>
              {occurrence.rrule != null && <div><dt>RRULE</dt><dd className="mono">{occurrence.rrule}</dd></div>}
              <div><dt>Kept in zone</dt><dd className="mono">{occurrence.zone ?? 'none (all-day)'}</dd></div>
            </dl>
          </details>
        )}
      </form>
    </Modal>
  )
}

const PRESETS: Array<[Preset, string]> = [['none', 'Does not repeat'], ['daily', 'Daily'], ['weekly', 'Weekly on…'], ['monthly', 'Monthly'], ['yearly', 'Yearly'], ['custom', 'Custom…']]
const FREQUENCIES: Array<[Frequency, string]> = [['DAILY', 'days'], ['WEEKLY', 'weeks'], ['MONTHLY', 'months'], ['YEARLY', 'years']]

function RepeatFields ({ repeat: r, onChange }: { repeat: Repeat, onChange: (r: Partial<Repeat>) => void }) {
  const showDays = r.preset === 'weekly' || (r.preset === 'custom' && r.freq === 'WEEKLY')
  return (
    <div className="wide cal-repeat">
      <label>Repeat
        <select value={r.preset} onChange={e => { onChange({ preset: e.target.value as Preset }) }} data-testid="event-repeat">
          {PRESETS.map(([p, label]) => <option key={p} value={p}>{label}</option>)}
          {r.preset === 'other' && <option value="other">As imported ({r.text})</option>}
        </select>
      </label>
      {r.preset === 'custom' && (
        <span className="cal-inline">
          <label>Every
            <input type="number" min={1} max={999} value={r.interval} onChange={e => { onChange({ interval: Math.max(1, Number(e.target.value) || 1) }) }} data-testid="event-interval" />
          </label>
          <label>Unit
            <select value={r.freq} onChange={e => { onChange({ freq: e.target.value as Frequency }) }} data-testid="event-frequency">
              {FREQUENCIES.map(([f, label]) => <option key={f} value={f}>{label}</option>)}
            </select>
          </label>
        </span>
      )}
      {showDays && (
        <fieldset className="cal-days">
          <legend>On</legend>
          {WEEKDAYS.map(day => (
            <label key={day}>
              <input type="checkbox" checked={r.days.includes(day)} onChange={e => { onChange({ days: e.target.checked ? [...r.days, day] : r.days.filter(x => x !== day) }) }} data-testid={`event-day-${day}`} />
              {DAY_NAMES[day]}
            </label>
          ))}
        </fieldset>
      )}
      {r.preset === 'custom' && (
        <span className="cal-inline">
          <label>Ends
            <select value={r.ends} onChange={e => { onChange({ ends: e.target.value as Repeat['ends'] }) }} data-testid="event-ends">
              <option value="never">Never</option>
              <option value="count">After a number of times</option>
              <option value="until">On a date</option>
            </select>
          </label>
          {r.ends === 'count' && <label>Times<input type="number" min={1} max={9999} value={r.count} onChange={e => { onChange({ count: Math.max(1, Number(e.target.value) || 1) }) }} data-testid="event-count" /></label>}
          {r.ends === 'until' && <label>Last day<input type="date" value={r.until} onChange={e => { onChange({ until: e.target.value }) }} data-testid="event-until" /></label>}
        </span>
      )}
    </div>
  )
}
