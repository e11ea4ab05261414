// Peers: who this peer is, how to reach it, who it is connected to, and its DHT routing table.
import type { ApiClient } from '../api/client.ts'
import type { Status } from '../api/types.ts'
import { CopyButton } from '../components/CopyButton.tsx'
import { DhtPanel } from '../components/DhtPanel.tsx'
import { DialForm } from '../components/DialForm.tsx'
import { EventLog } from '../components/EventLog.tsx'
import { PeersTable } from '../components/PeersTable.tsx'
import { reachabilityText } from '../reach.ts'
import type { LoggedEvent } from '../state/useTidepool.ts'

interface Props {
  status: Status
  client: ApiClient
  events: LoggedEvent[]
  refresh: () => void
}

export function PeersView ({ status, client, events, refresh }: Props) {
  const reach = reachabilityText(status)
  return (
    <div className="view peers-view">
      <h1>Peers</h1>

      <section className="card" aria-labelledby="self-heading">
        <h2 id="self-heading">This peer</h2>
        <dl className="facts">
          <div>
            <dt>Peer id</dt>
            <dd className="with-copy">
              <code className="mono break" data-testid="self-peer-id">{status.peerId}</code>
              <CopyButton text={status.peerId} label="Copy this peer's id" />
            </dd>
          </div>
          <div>
            <dt>Network</dt>
            <dd data-testid="network-name">{status.network}</dd>
          </div>
          <div>
            <dt>Reachability</dt>
            <dd data-testid="reachability" data-reachability={status.reachability}>
              <span className={`badge badge-${reach.tone}`}>{reach.label}</span>
              <span className="hint reach-hint">{reach.hint}</span>
            </dd>
          </div>
          <div>
            <dt>Addresses</dt>
            <dd>
              {status.addrs.length === 0
                ? <span className="muted">{status.online ? 'not listening on any address' : 'none while offline'}</span>
                : (
                  <ul className="addr-list" data-testid="self-addrs">
                    {status.addrs.map(a => (
                      <li key={a} className="with-copy">
                        <code className="mono break">{a}</code>
                        <CopyButton text={a} label={`Copy address ${a}`} />
                      </li>
                    ))}
                  </ul>
                  )}
            </dd>
          </div>
        </dl>
        <p className="hint">Give one of these addresses to another peer on the “{status.network}” network so it can dial this one.</p>
      </section>

      <section className="card" aria-labelledby="dial-heading">
        <h2 id="dial-heading">Dial a peer</h2>
        <DialForm client={client} onDialed={refresh} />
      </section>

      <section className="card" aria-labelledby="peers-heading">
        <h2 id="peers-heading">Connected and known peers</h2>
        <PeersTable peers={status.peers} />
      </section>

      <div className="two-columns">
        <section className="card" aria-labelledby="dht-heading">
          <h2 id="dht-heading">DHT (Kademlia)</h2>
          <DhtPanel dht={status.dht} peers={status.peers} />
        </section>
        <section className="card" aria-labelledby="events-heading">
          <h2 id="events-heading">Event stream</h2>
          <EventLog events={events} />
        </section>
      </div>
    </div>
  )
}
