// The first screen: what Tidepool does, and three first steps, each one click away.
import { useState } from 'react'
import type { ApiClient } from '../api/client.ts'
import { ledgerApi } from '../api/ledger.ts'
import type { Status } from '../api/types.ts'
import { CopyButton } from '../components/CopyButton.tsx'
import { ErrorNote } from '../components/ErrorNote.tsx'
import { secondPeerCommand } from '../../../p2p/api/contract.ts'

type Section = 'files' | 'calendar' | 'ledger'

interface Props {
  status: Status | null
  client: ApiClient
  onSection: (section: Section) => void
}

export function StartView ({ status, client, onSection }: Props) {
  const [error, setError] = useState<unknown>(null)
  const startMining = (): void => {
    setError(null)
    ledgerApi(client).setMining(true).then(() => { onSection('ledger') }, (err: unknown) => { setError(err) })
  }
  const second = status == null ? null : secondPeerCommand({ network: status.network, addrs: status.addrs, dht: status.dht.ring != null ? 'chord' : 'kademlia' })
  return (
    <div className="view start-view" data-testid="start-view">
      <h1>Welcome to Tidepool</h1>
      <p className="lead">
        Tidepool connects computers directly, with no server anywhere: this one is a peer, and peers on the same
        network find each other. Together they <strong>share files</strong>, keep a <strong>calendar</strong> in
        sync even while offline, and <strong>mine and send toy coins</strong>. Every view also shows how it works
        underneath.
      </p>
      <div className="steps">
        <section className="card step" aria-labelledby="step-files">
          <h2 id="step-files">Share a file</h2>
          <p>Pick a file; you get a link and a QR code. Whoever opens the link on their Tidepool downloads it from you.</p>
          <button type="button" className="primary" data-testid="start-files" onClick={() => { onSection('files') }}>Share a file</button>
        </section>
        <section className="card step" aria-labelledby="step-calendar">
          <h2 id="step-calendar">Make a calendar</h2>
          <p>Create a shared calendar, invite others, and book times; changes sync whenever members meet.</p>
          <button type="button" className="primary" data-testid="start-calendar" onClick={() => { onSection('calendar') }}>Make a calendar</button>
        </section>
        <section className="card step" aria-labelledby="step-mining">
          <h2 id="step-mining">Start mining</h2>
          <p>Let this computer mine blocks of the toy coin; the rewards land in your wallet, ready to send.</p>
          <button type="button" className="primary" data-testid="start-mining" onClick={startMining}>Start mining</button>
        </section>
      </div>
      {error != null && <ErrorNote error={error} />}
      {second != null && (
        <section className="card" aria-labelledby="second-heading">
          <h2 id="second-heading">Try it with a second peer</h2>
          <p>Run this in the project folder to start another peer on this computer that joins this one:</p>
          <div className="with-copy">
            <code className="mono break" data-testid="second-peer-command">{second}</code>
            <CopyButton text={second} label="Copy the command" />
          </div>
        </section>
      )}
    </div>
  )
}
