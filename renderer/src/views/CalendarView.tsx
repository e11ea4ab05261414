// Calendar: shared calendars replicated as in Bayou. Month, week and day views to add, open, edit, move
// and cancel events (series too), a booking form with alternatives, an agenda with tentative and
// committed events and conflicts; under the hood, the replicas, members with their sync state and the
// write log with stamps and CSNs. Refetched when the peer says a calendar changed; no polling.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { errorText, type ApiClient } from '../api/client.ts'
import type { EventStream } from '../api/events.ts'
import type { Status } from '../api/types.ts'
import { calendarApi } from '../api/calendar.ts'
import { Agenda } from '../calendar/Agenda.tsx'
import { BookingForm } from '../calendar/BookingForm.tsx'
import { CalendarPicker } from '../calendar/CalendarPicker.tsx'
import { InvitePanel } from '../calendar/InvitePanel.tsx'
import { MembersTable } from '../calendar/MembersTable.tsx'
import { CalendarBoard } from '../calendar/CalendarBoard.tsx'
import { WriteLog } from '../calendar/WriteLog.tsx'
import { fileNameFor, saveFile } from '../calendar/save-file.ts'
import { outcomeNotice, type Notice } from '../calendar/notices.ts'
import type { CalendarDetail, CalendarSummary, OutcomeChange } from '../calendar/types.ts'
import { relayNote } from '../reach.ts'
import '../calendar/calendar.css'

/** Events arrive in bursts during a sync; one refetch per burst. */
const REFETCH_DELAY_MS = 120
const MAX_NOTICES = 5

/** `status` (for the invite's note on relays) is null until the first /api/status answers. */
export function CalendarView ({ client, stream, status }: { client: ApiClient, stream: EventStream, status: Status | null }) {
  const api = useMemo(() => calendarApi(client), [client])
  const [calendars, setCalendars] = useState<CalendarSummary[]>([])
  const [selected, setSelected] = useState<string | null>(null)
  const [detail, setDetail] = useState<CalendarDetail | null>(null)
  const [invite, setInvite] = useState<string | null>(null)
  const [notices, setNotices] = useState<Notice[]>([])
  /** Where the board should look: the time a booking just got. */
  const [focus, setFocus] = useState<Date | null>(null)
  const [syncText, setSyncText] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  /** The calendar as last shown, for naming the event a notice is about. */
  const shown = useRef<CalendarDetail | null>(null)
  shown.current = detail

  const load = useCallback(async (id: string | null) => {
    try {
      const list = await api.list()
      setCalendars(list)
      const current = id ?? list[0]?.id ?? null
      setSelected(current)
      setDetail(current == null ? null : await api.get(current))
      setError(null)
    } catch (err) {
      setError(errorText(err))
    }
  }, [api])

  useEffect(() => { void load(null) }, [load])

  useEffect(() => stream.subscribe(event => {
    if (!event.type.startsWith('calendar:')) return
    if (event.type === 'calendar:outcome-changed') {
      const changedEvent = shown.current?.events.find(e => e.id === event.writeId) ?? null
      setNotices(prev => [outcomeNotice(changedEvent, event.writeId, event.before, event.after), ...prev].slice(0, MAX_NOTICES))
    }
    if (timer.current != null) clearTimeout(timer.current)
    timer.current = setTimeout(() => { void load(selected) }, REFETCH_DELAY_MS)
  }), [stream, load, selected])

  useEffect(() => () => { if (timer.current != null) clearTimeout(timer.current) }, [])

  const changed = useMemo(() => new Map((detail?.events ?? []).filter(e => e.changed != null).map(e => [e.id, e.changed as OutcomeChange])), [detail])

  const select = (id: string): void => { setInvite(null); void load(id) }

  return (
    <div className="view calendar-view">
      <h1>Calendar</h1>
      {error != null && <p className="banner error" role="alert">{error}</p>}
      <section className="card" aria-labelledby="cal-picker-heading">
        <h2 id="cal-picker-heading">Calendars</h2>
        <CalendarPicker
          calendars={calendars}
          selected={selected}
          onSelect={select}
          onCreate={async name => { const created = await api.create(name); setInvite(created.invite); await load(created.id) }}
          onJoin={async text => { const joined = await api.join(text); await load(joined.id) }}
        />
      </section>

      {detail != null && (
        <>
          <section className="card" aria-labelledby="cal-heading">
            <h2 id="cal-heading" data-testid="calendar-name">{detail.name}</h2>
            <div className="cal-actions">
              <button type="button" data-testid="calendar-sync" onClick={() => {
                setSyncText('Syncing…')
                api.sync(detail.id).then(
                  r => { setSyncText(r.peers.length === 0 ? 'No other member to sync with.' : r.peers.map(p => p.ok ? `synced: received ${p.stats?.receivedWrites ?? 0} writes, ${p.stats?.receivedCommits ?? 0} commits` : `failed: ${p.error ?? ''}`).join('; ')); void load(detail.id) },
                  err => { setSyncText(errorText(err)) }
                )
              }}>Sync now</button>
              <button type="button" data-testid="calendar-invite" onClick={() => { api.invite(detail.id).then(r => { setInvite(r.invite) }, err => { setError(errorText(err)) }) }}>New invite</button>
              <button type="button" data-testid="calendar-export" onClick={() => {
                api.exportIcs(detail.id).then(blob => { saveFile(blob, fileNameFor(detail.name, 'ics')) }, err => { setError(errorText(err)) })
              }}>Export .ics</button>
              <label className="cal-import">
                Import .ics
                <input type="file" accept=".ics,text/calendar" data-testid="calendar-import" onChange={e => {
                  const file = e.target.files?.[0]
                  e.target.value = ''
                  if (file == null) return
                  api.importIcs(detail.id, file).then(
                    r => {
                      const updated = r.updated > 0 ? `, updated ${r.updated}` : ''
                      setSyncText(`Imported ${r.imported} event${r.imported === 1 ? '' : 's'}${updated} (${r.conflicts} kept as conflicts).${r.warnings.length > 0 ? ` Note: ${r.warnings.join('; ')}` : ''}`)
                      void load(detail.id)
                    },
                    err => { setError(errorText(err)) }
                  )
                }} />
              </label>
              {syncText != null && <span className="hint" role="status" data-testid="sync-result">{syncText}</span>}
            </div>
            {invite != null && <InvitePanel invite={invite} relayNote={relayNote(status, 'invite')} />}
          </section>

          {notices.length > 0 && (
            <ul className="cal-notices" data-testid="outcome-notices">
              {notices.map((n, i) => (
                <li key={i} className="banner">
                  {n.text}
                  <details className="small">
                    <summary>under the hood</summary>
                    <span className="mono">{n.writeId}</span>: now “{n.after}” (was “{n.before}”), after a commit or a write ordered before it
                  </details>
                </li>
              ))}
            </ul>
          )}

          <section className="card" aria-labelledby="cal-board-heading">
            <h2 id="cal-board-heading" className="offscreen">Events</h2>
            <CalendarBoard api={api} detail={detail} changed={changed} focus={focus} onWritten={async () => { await load(detail.id) }} />
          </section>

          <section className="card" aria-labelledby="cal-book-heading">
            <h2 id="cal-book-heading">Book a room, with alternative times</h2>
            <BookingForm onBook={async request => {
              const result = await api.reserve(detail.id, request)
              setFocus(new Date(request.alternatives[0] as string))
              await load(detail.id)
              return result
            }} />
          </section>

          <section className="card" aria-labelledby="cal-agenda-heading">
            <h2 id="cal-agenda-heading">Agenda</h2>
            <Agenda events={detail.events} onCancel={id => { api.cancel(detail.id, id).then(() => load(detail.id), err => { setError(errorText(err)) }) }} />
          </section>

          <section className="card" aria-labelledby="cal-hood-heading">
            <details data-testid="under-the-hood">
              <summary><h2 id="cal-hood-heading" className="inline-heading">Under the hood: replicas, members, write log</h2></summary>
              <dl className="facts">
                <div><dt>This replica</dt><dd className="mono" data-testid="calendar-replica">{detail.replica}</dd></div>
                <div><dt>Primary</dt><dd className="mono">{detail.primary}{detail.primary === detail.replica && ' (this peer commits writes)'}</dd></div>
                <div><dt>Committed</dt><dd>up to CSN <span className="mono" data-testid="calendar-csn">{detail.highestCsn}</span>{detail.omittedCsn > 0 && ` (log truncated at ${detail.omittedCsn})`}</dd></div>
              </dl>
              <h3>Members</h3>
              <MembersTable members={detail.members} actions={{
                onHandOff: replica => { api.handOff(detail.id, replica).then(() => load(detail.id), err => { setError(errorText(err)) }) },
                onRetire: () => {
                  if (!window.confirm('Retire this replica? This peer leaves the calendar and can no longer write to it.')) return
                  api.retire(detail.id).then(() => load(detail.id), err => { setError(errorText(err)) })
                }
              }} />
              <h3>Write log</h3>
              <WriteLog writes={detail.writes} total={detail.totalWrites} />
            </details>
          </section>
        </>
      )}
    </div>
  )
}
