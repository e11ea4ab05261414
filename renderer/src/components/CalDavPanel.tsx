// How to use Tidepool's calendars from a calendar app (CalDAV, p2p/calendar/caldav/): the address,
// the user name and the password — the API token this page holds — with a copy button, and a short
// how-to for the common apps. The address is this page's own origin: the core serves the UI and
// CalDAV on the same port of 127.0.0.1.
import { CopyButton } from './CopyButton.tsx'

export function CalDavPanel ({ token, origin = window.location.origin }: { token: string, origin?: string }) {
  const url = `${origin}/dav/`
  const port = new URL(origin).port
  return (
    <div className="view caldav-view">
      <section className="card" aria-labelledby="caldav-heading" data-testid="caldav-panel">
        <h2 id="caldav-heading">Use your own calendar app (CalDAV)</h2>
        <p>
          Thunderbird, GNOME Calendar, Evolution or DAVx5 can show and edit these calendars. What you change there
          is synced to the other members by Tidepool; it shows as tentative until the calendar’s primary commits it.
        </p>
        <dl className="facts">
          <div>
            <dt>Address (URL)</dt>
            <dd className="with-copy"><code data-testid="caldav-url">{url}</code> <CopyButton text={url} label="Copy the CalDAV address" /></dd>
          </div>
          <div>
            <dt>User name</dt>
            <dd>anything, e.g. <code>me</code></dd>
          </div>
          <div>
            <dt>Password</dt>
            <dd className="with-copy"><span>this peer’s API token (secret, not shown)</span> <CopyButton text={token} label="Copy the CalDAV password" /></dd>
          </div>
        </dl>
        <p className="muted">
          The address works on this computer only (Tidepool listens on 127.0.0.1), and its port changes at each start
          unless Tidepool is started with <code>--api-port</code>: fix it before adding the calendar to an app.
        </p>
        <details>
          <summary>How to add it</summary>
          <ul>
            <li><strong>Thunderbird</strong>: Calendar → New Calendar… → On the Network → enter the address and any user
              name → Find Calendars → paste the password.</li>
            <li><strong>GNOME Calendar / Evolution</strong>: in Evolution, File → New → Calendar → type CalDAV → enter
              the address and any user name → Find Calendars → paste the password. GNOME Calendar then shows them too.</li>
            <li><strong>DAVx5 (Android)</strong>: a phone cannot reach 127.0.0.1 on this computer by itself. Over a USB
              cable, run <code>adb reverse tcp:{port} tcp:{port}</code> first; then in DAVx5 log in
              with URL and user name, with the address, any user name and the password. Over Wi-Fi it does not work:
              Tidepool does not offer its API to the network.</li>
          </ul>
        </details>
      </section>
    </div>
  )
}
