// Shown when the page has no API token (or the one it had was rejected): how to get one, and a paste box.
import { useId, useState, type FormEvent } from 'react'
import { tokenFromPaste } from '../token.ts'

export function TokenScreen ({ onToken, reason }: { onToken: (token: string) => void, reason?: string }) {
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const inputId = useId()

  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault()
    const token = tokenFromPaste(text)
    if (token == null) {
      setProblem('That does not look like a Tidepool token: paste the whole URL, or the text of the api-token file.')
      return
    }
    setProblem(null)
    onToken(token)
  }

  return (
    <main className="token-screen" data-testid="token-screen">
      <section className="card token-card" aria-labelledby="token-heading">
        <h1 id="token-heading">Tidepool needs its access token</h1>
        {reason != null && <p className="dial-result error" role="alert" data-testid="token-error">{reason}</p>}
        <p>
          This page talks to a Tidepool peer through its local API, which only answers requests carrying
          the peer's token. Get it in one of these ways:
        </p>
        <ol className="token-steps">
          <li>
            Open the URL that <code>tidepool --headless</code> printed when it started — it looks like
            {' '}<code className="mono">http://127.0.0.1:PORT/#token=…</code> and carries the token for you.
          </li>
          <li>
            Or read the file <code className="mono">&lt;data-dir&gt;/api-token</code> (the peer's data folder,
            chosen with <code>--data-dir</code>) and paste its contents below.
          </li>
        </ol>
        <form onSubmit={onSubmit} className="token-form">
          <label htmlFor={inputId}>Token or URL</label>
          <div className="dial-row">
            <input
              id={inputId}
              data-testid="token-input"
              className="mono"
              type="password"
              value={text}
              onChange={(e) => { setText(e.target.value) }}
              autoComplete="off"
              spellCheck={false}
            />
            <button type="submit" className="primary" data-testid="token-button" disabled={text.trim() === ''}>Connect</button>
          </div>
          {problem != null && <p className="dial-result error" role="alert">{problem}</p>}
        </form>
        <p className="hint">The token stays in this window's session storage only and is never sent anywhere but this peer.</p>
      </section>
    </main>
  )
}
