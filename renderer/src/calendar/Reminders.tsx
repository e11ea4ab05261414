// Reminders, in whatever view is open: each occurrence with a reminder raises a notice in the page at
// its time, once (remembered in this browser's storage across reloads), and an OS notification where
// the browser or desktop allows it. The coming weeks' occurrences of every calendar are fetched again
// when a calendar changes and every few minutes; a timer wakes at the next reminder.
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ApiClient } from '../api/client.ts'
import type { EventStream } from '../api/events.ts'
import { calendarApi } from '../api/calendar.ts'
import { dueReminders, nextReminder, reminderKey, reminderText } from './reminders.ts'
import { formatTime } from './time.ts'
import type { OccurrenceView } from './types.ts'
import './calendar.css'

/** Reminders are at most 4 weeks ahead (the API's limit), plus events under way. */
const AHEAD_MS = 29 * 86_400_000
const BEHIND_MS = 86_400_000
const REFETCH_MS = 5 * 60_000
const BURST_MS = 500
const SHOWN_KEY = 'tidepool.calendar.reminded'
const KEEP_SHOWN = 500
/** setTimeout's longest wait; a later reminder is waited for in steps. */
const MAX_WAIT_MS = 2 ** 31 - 1

function loadShown (): Set<string> {
  try { return new Set(JSON.parse(localStorage.getItem(SHOWN_KEY) ?? '[]') as string[]) } catch { return new Set() }
}

function saveShown (shown: Set<string>): void {
  try { localStorage.setItem(SHOWN_KEY, JSON.stringify([...shown].slice(-KEEP_SHOWN))) } catch { /* not kept: may remind again after a reload */ }
}

function notifyOs (title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  try { new Notification(title, { body }) } catch { /* some platforms allow notifications only from a service worker */ }
}

/** Asks for OS notifications (from a click: browsers ask only then). */
export function askForNotifications (): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission()
}

interface Shown { key: string, text: string }

export function CalendarReminders ({ client, stream }: { client: ApiClient, stream: EventStream }) {
  const api = useMemo(() => calendarApi(client), [client])
  const [upcoming, setUpcoming] = useState<OccurrenceView[]>([])
  const [notices, setNotices] = useState<Shown[]>([])
  const [fetches, setFetches] = useState(0)
  const shown = useRef<Set<string>>(loadShown())

  // Changes come in bursts during a sync: one refetch per burst.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const stop = stream.subscribe(event => {
      if (event.type !== 'calendar:changed' || timer != null) return
      timer = setTimeout(() => { timer = null; setFetches(n => n + 1) }, BURST_MS)
    })
    return () => { stop(); if (timer != null) clearTimeout(timer) }
  }, [stream])
  useEffect(() => {
    const timer = setInterval(() => { setFetches(n => n + 1) }, REFETCH_MS)
    return () => { clearInterval(timer) }
  }, [])

  useEffect(() => {
    const abort = new AbortController()
    const now = Date.now()
    const fetchAll = async (): Promise<OccurrenceView[]> => {
      const calendars = await api.list()
      const lists = await Promise.all(calendars.map(async c => (await api.occurrences(c.id, new Date(now - BEHIND_MS), new Date(now + AHEAD_MS), abort.signal)).occurrences))
      return lists.flat().filter(o => o.reminderMinutes != null)
    }
    // A failed fetch keeps the last list: the next change or refetch tries again.
    fetchAll().then(list => { if (!abort.signal.aborted) setUpcoming(list) }, () => {})
    return () => { abort.abort() }
  }, [api, fetches])

  const [tick, setTick] = useState(0)
  useEffect(() => {
    const now = Date.now()
    const due = dueReminders(upcoming, now, shown.current)
    if (due.length > 0) {
      for (const o of due) {
        shown.current.add(reminderKey(o))
        notifyOs(o.title, reminderText(o, now, formatTime))
      }
      saveShown(shown.current)
      setNotices(prev => [...due.map(o => ({ key: reminderKey(o), text: reminderText(o, now, formatTime) })), ...prev])
    }
    const next = nextReminder(upcoming, now, shown.current)
    if (next == null) return
    const timer = setTimeout(() => { setTick(t => t + 1) }, Math.min(MAX_WAIT_MS, Math.max(0, next - now)))
    return () => { clearTimeout(timer) }
  }, [upcoming, tick])

  if (notices.length === 0) return null
  return (
    <ul className="cal-reminders" aria-label="Reminders" data-testid="reminders">
      {notices.map(n => (
        <li key={n.key} className="banner" role="alert" data-testid="reminder">
          <span>⏰ {n.text}</span>
          <button type="button" className="small" onClick={() => { setNotices(prev => prev.filter(x => x.key !== n.key)) }} aria-label={`Dismiss: ${n.text}`}>Dismiss</button>
        </li>
      ))}
    </ul>
  )
}
