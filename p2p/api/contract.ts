// The local API's contract with every client — the renderer, main/, scripts, tests: how an error
// answer looks, how the event stream is opened, where the token is kept, what the core's one `ready`
// line on stdout says. Pure (zod only), so the renderer bundles it and main/ reads it without I/O.
import { z } from 'zod'

/** An API failure: the HTTP status (0 on a client when no answer arrived), a kebab-case code, a message. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly status: number
  readonly code: string
  constructor (status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/** The body of every 4xx/5xx answer. */
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) })
export type ErrorBody = z.infer<typeof ErrorBody>

export const EVENTS_PATH = '/api/events'
/** Browsers cannot set headers on a WebSocket: the client offers this subprotocol and the token as another. */
export const WS_PROTOCOL = 'tidepool.v1'
export const WS_BEARER_PREFIX = 'tidepool.bearer.'

/** The API token's file inside the data dir. */
export const TOKEN_FILE = 'api-token'

/**
 * Log lines and error dialogs never carry the API token: not a UI URL's `#token=…`, an `Authorization:
 * Bearer …` or the WebSocket's bearer subprotocol. The core's tidepool.log and the desktop log both
 * pass every line through this.
 */
export function redactSecrets (line: string): string {
  return line
    .replace(/(#token=)[^\s&"'<>]+/g, '$1<redacted>')
    .replace(/(\bBearer\s+)[A-Za-z0-9_.=-]+/gi, '$1<redacted>')
    .replace(/(tidepool\.bearer\.)[A-Za-z0-9_=-]+/g, '$1<redacted>')
}

/** The one JSON line the core prints on stdout once its peer and API are up. */
export const ReadyLine = z.object({
  event: z.literal('ready'),
  peerId: z.string().min(1),
  addrs: z.array(z.string()),
  /** `http://127.0.0.1:PORT` */
  api: z.string(),
  network: z.string().min(1)
})
export type ReadyLine = z.infer<typeof ReadyLine>
