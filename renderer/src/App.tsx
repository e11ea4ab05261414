// The shell of the UI: token gate, header, sidebar navigation, and the current view.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { createClient } from './api/client.ts'
import { EventStream } from './api/events.ts'
import { Header } from './components/Header.tsx'
import { formatClock } from './format.ts'
import { useTidepool } from './state/useTidepool.ts'
import { forgetToken, saveToken, storage, takeLink, takeToken, takeView, tokenFromFragment } from './token.ts'
import { CalDavPanel } from './components/CalDavPanel.tsx'
import { CalendarReminders } from './calendar/Reminders.tsx'
import { CalendarView } from './views/CalendarView.tsx'
import { FilesView } from './views/FilesView.tsx'
import { LedgerView } from './views/LedgerView.tsx'
import { PeersView } from './views/PeersView.tsx'
import { RingView } from './views/RingView.tsx'
import { StartView } from './views/StartView.tsx'
import { TokenScreen } from './views/TokenScreen.tsx'

const SECTIONS = [
  { id: 'start', label: 'Start' },
  { id: 'peers', label: 'Peers' },
  { id: 'files', label: 'Files' },
  { id: 'calendar', label: 'Calendar' },
  { id: 'ledger', label: 'Ledger' },
  { id: 'dht', label: 'DHT' }
] as const
type SectionId = typeof SECTIONS[number]['id']

const SECTION_STORAGE_KEY = 'tidepool.section'

function sectionNamed (name: string | null | undefined): SectionId | undefined {
  return SECTIONS.find(s => s.id === name)?.id
}

/** The section a `#view=…` fragment names, if it names one. */
function takeSection (): SectionId | undefined {
  return sectionNamed(takeView())
}

/** The section this window showed last: a reload stays where the user was. */
function lastSection (): SectionId | undefined {
  return sectionNamed(storage()?.getItem(SECTION_STORAGE_KEY))
}

export function App () {
  // Token first: both are read from the fragment before either is scrubbed from it.
  const [token, setToken] = useState<string | null>(() => takeToken())
  const [section, setSection] = useState<SectionId>(() => takeSection() ?? lastSection() ?? 'start')
  useEffect(() => {
    storage()?.setItem(SECTION_STORAGE_KEY, section)
  }, [section])
  const [rejected, setRejected] = useState<string | undefined>(undefined)
  // A share link the desktop app was asked to open: shown in Files for the user to accept or not.
  const [offer, setOffer] = useState<string | null>(() => takeLink())

  const onToken = useCallback((t: string) => {
    saveToken(t)
    setRejected(undefined)
    setToken(t)
  }, [])
  const onRejected = useCallback(() => {
    forgetToken()
    setRejected('The peer rejected the token this window had (it may belong to another data folder). Get a fresh one below.')
    setToken(null)
  }, [])

  // The desktop app opens a view of the page it already shows (after a share link was opened) by
  // loading the same URL with a new fragment: a same-document navigation, seen here as a hashchange.
  useEffect(() => {
    const onHashChange = (): void => {
      if (tokenFromFragment(location.hash) != null) {
        const t = takeToken()
        if (t != null) onToken(t)
      }
      const next = takeSection()
      if (next !== undefined) setSection(next)
      const link = takeLink()
      if (link != null) setOffer(link)
    }
    window.addEventListener('hashchange', onHashChange)
    return () => { window.removeEventListener('hashchange', onHashChange) }
  }, [onToken])

  if (token == null) return <TokenScreen onToken={onToken} reason={rejected} />
  return <Connected key={token} token={token} onRejected={onRejected} section={section} onSection={setSection} offer={offer} onOfferDone={() => { setOffer(null) }} />
}

interface ConnectedProps {
  token: string
  onRejected: () => void
  section: SectionId
  onSection: (section: SectionId) => void
  offer: string | null
  onOfferDone: () => void
}

function Connected ({ token, onRejected, section, onSection, offer, onOfferDone }: ConnectedProps) {
  const client = useMemo(() => createClient(token), [token])
  const stream = useMemo(() => new EventStream(token), [token])
  const { status, fetchedAt, error, connection, unreachable, events, refresh } = useTidepool(client, stream)

  useEffect(() => {
    if (error?.code === 'unauthorized') onRejected()
  }, [error, onRejected])

  return (
    <div className="app">
      <Header status={status} client={client} connection={connection} unreachable={unreachable} fetchedAt={fetchedAt} refresh={refresh} />
      {unreachable && (
        <div className="down-banner" role="alert" data-testid="peer-down">
          <strong>Tidepool's own peer on this computer is not answering.</strong>{' '}
          Nothing below is current and nothing can be changed until it is back; this page reconnects by itself
          {connection.kind === 'closed' && <> (next try at {formatClock(connection.retryAt)})</>}.
          {' '}If it was closed, start it again.
        </div>
      )}
      {/* A disabled fieldset disables every control inside it at once; inert also takes them out of the tab order. */}
      <fieldset className="app-body" disabled={unreachable} inert={unreachable} data-testid="app-body">
      <nav className="sidebar" aria-label="Sections">
        <ul>
          {SECTIONS.map(s => (
            <li key={s.id}>
              <button
                type="button"
                className={`nav-item ${section === s.id ? 'active' : ''}`}
                aria-current={section === s.id ? 'page' : undefined}
                data-testid={`nav-${s.id}`}
                onClick={() => { onSection(s.id) }}
              >
                {s.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {error != null && error.code !== 'unauthorized' && !unreachable && (
          <p className="banner error" role="alert" data-testid="status-error">
            Cannot get this peer's status: {error.message}
            {status != null && ' — what you see below may be out of date.'}
          </p>
        )}
        <CalendarReminders client={client} stream={stream} />
        {section === 'start' && <StartView status={status} client={client} onSection={onSection} />}
        {section === 'peers' && (status == null
          ? <p className="muted loading">{error == null ? 'Asking the local API for this peer’s status…' : 'Waiting for the local API…'}</p>
          : <PeersView status={status} client={client} events={events} refresh={refresh} />)}
        {section === 'files' && <FilesView client={client} stream={stream} status={status} offer={offer} onOfferDone={onOfferDone} />}
        {section === 'calendar' && <CalendarView client={client} stream={stream} status={status} />}
        {section === 'calendar' && <CalDavPanel token={token} />}
        {section === 'ledger' && <LedgerView client={client} stream={stream} />}
        {section === 'dht' && <RingView client={client} stream={stream} />}
      </main>
      </fieldset>
    </div>
  )
}
