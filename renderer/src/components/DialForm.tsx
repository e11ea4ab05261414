// "Dial a peer": POST /api/peers/dial with a multiaddr; says in plain words why a dial failed (the API's own
// text under Details).
import { useId, useState, type FormEvent } from 'react'
import type { ApiClient } from '../api/client.ts'
import { ErrorNote } from './ErrorNote.tsx'
import { peersApi } from '../api/peers.ts'
import type { DialResult } from '../api/types.ts'
import { formatLatency, shortPeerId } from '../format.ts'

type DialState =
  | { kind: 'idle' }
  | { kind: 'dialing', addr: string }
  | { kind: 'ok', result: DialResult }
  | { kind: 'failed', error: unknown }

export function DialForm ({ client, onDialed }: { client: ApiClient, onDialed: () => void }) {
  const [addr, setAddr] = useState('')
  const [state, setState] = useState<DialState>({ kind: 'idle' })
  const inputId = useId()
  const hintId = useId()
  const dialing = state.kind === 'dialing'

  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault()
    const target = addr.trim()
    if (target === '' || dialing) return
    setState({ kind: 'dialing', addr: target })
    peersApi(client).dial(target).then(
      (result) => {
        setState({ kind: 'ok', result })
        onDialed()
      },
      (err: unknown) => {
        setState({ kind: 'failed', error: err })
      }
    )
  }

  return (
    <form className="dial-form" onSubmit={onSubmit} aria-busy={dialing}>
      <label htmlFor={inputId}>Multiaddr of the peer</label>
      <div className="dial-row">
        <input
          id={inputId}
          data-testid="dial-input"
          className="mono"
          type="text"
          value={addr}
          onChange={(e) => { setAddr(e.target.value) }}
          placeholder="/ip4/192.168.1.20/tcp/4001/p2p/12D3KooW…"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-describedby={hintId}
          aria-invalid={state.kind === 'failed'}
        />
        <button type="submit" data-testid="dial-button" className="primary" disabled={dialing || addr.trim() === ''}>
          {dialing ? 'Dialing…' : 'Dial'}
        </button>
      </div>
      <p id={hintId} className="hint">
        Paste an address another peer shows under “This peer”. It must end in <code>/p2p/&lt;peer id&gt;</code>;
        the peer is dialed, then pinged.
      </p>
      {state.kind === 'failed' && <ErrorNote error={state.error} testId="dial-error" />}
      {state.kind === 'ok' && (
        <p className="dial-result ok" role="status" data-testid="dial-ok">
          Connected to <span className="mono" title={state.result.peerId}>{shortPeerId(state.result.peerId)}</span>
          {' '}— ping {formatLatency(state.result.latencyMs)}
        </p>
      )}
    </form>
  )
}
