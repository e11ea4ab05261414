// The shell of the UI: token gate, header, sidebar navigation, and the current view.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { createClient } from './api/client.ts'
import { EventStream } from './api/events.ts'
import { Header } from './components/Header.tsx'
import { useTidepool } from './state/useTidepool.ts'
import { forgetToken, saveToken, takeToken } from './token.ts'
import { ComingSoon } from './views/ComingSoon.tsx'
import { PeersView } from './views/PeersView.tsx'
import { TokenScreen } from './views/TokenScreen.tsx'

const SECTIONS = [
  { id: 'peers', label: 'Peers' },
  { id: 'files', label: 'Files' },
  { id: 'calendar', label: 'Calendar' },
  { id: 'ledger', label: 'Ledger' }
] as const
type SectionId = typeof SECTIONS[number]['id']

export function App () {
  const [token, setToken] = useState<string | null>(() => takeToken())
  const [rejected, setRejected] = useState<string | undefined>(undefined)

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

  if (token == null) return <TokenScreen onToken={onToken} reason={rejected} />
  return <Connected key={token} token={token} onRejected={onRejected} />
}

function Connected ({ token, onRejected }: { token: string, onRejected: () => void }) {
  const client = useMemo(() => createClient(token), [token])
  const stream = useMemo(() => new EventStream(token), [token])
  const { status, fetchedAt, error, connection, events, refresh } = useTidepool(client, stream)
  const [section, setSection] = useState<SectionId>('peers')

  useEffect(() => {
    if (error?.code === 'unauthorized') onRejected()
  }, [error, onRejected])

  return (
    <div className="app">
      <Header status={status} client={client} connection={connection} fetchedAt={fetchedAt} refresh={refresh} />
      <nav className="sidebar" aria-label="Sections">
        <ul>
          {SECTIONS.map(s => (
            <li key={s.id}>
              <button
                type="button"
                className={`nav-item ${section === s.id ? 'active' : ''}`}
                aria-current={section === s.id ? 'page' : undefined}
                data-testid={`nav-${s.id}`}
                onClick={() => { setSection(s.id) }}
              >
                {s.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {error != null && error.code !== 'unauthorized' && (
          <p className="banner error" role="alert" data-testid="status-error">
            Cannot get this peer's status: {error.message}
            {status != null && ' — what you see below may be out of date.'}
          </p>
        )}
        {section === 'peers' && (status == null
          ? <p className="muted loading">{error == null ? 'Asking the local API for this peer’s status…' : 'Waiting for the local API…'}</p>
          : <PeersView status={status} client={client} events={events} refresh={refresh} />)}
        {section === 'files' && (
          <ComingSoon
            title="Files"
            summary="Share files with other peers by content id, with no server in between."
            items={[
              'Add a file: it is cut into chunks, hashed, and described by a manifest with its own CID.',
              'Announce it in the DHT and see who provides what.',
              'Download from several providers at once, resuming where a transfer stopped.'
            ]}
          />
        )}
        {section === 'calendar' && (
          <ComingSoon
            title="Calendar"
            summary="A shared calendar that keeps working offline and reconciles with Bayou when peers meet."
            items={[
              'Tentative and committed writes, ordered by the write log and version vectors.',
              'Conflicts resolved by each write’s own update function; undo and log truncation.',
              'Invites, membership, and .ics export.'
            ]}
          />
        )}
        {section === 'ledger' && (
          <ComingSoon
            title="Ledger"
            summary="Mine and send toy coins on a small proof-of-work chain run by the peers themselves."
            items={[
              'A wallet, a mempool, and a miner you can start and stop.',
              'Blocks and transactions gossiped between peers; forks and how the heaviest chain wins.',
              'Attack simulations to watch difficulty retargeting and double spends play out.'
            ]}
          />
        )}
      </main>
    </div>
  )
}
