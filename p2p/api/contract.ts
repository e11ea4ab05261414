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

/** The codes the API itself answers with, before or around any part's route (guard, router, body reading). */
export type ApiBaseErrorCode =
  | 'bad-host' | 'bad-origin' | 'unauthorized' | 'not-found' | 'method-not-allowed'
  | 'bad-request' | 'too-large' | 'unsupported-media-type' | 'length-required' | 'disk-full' | 'internal'

/** Networks for tests and demos on one machine: loopback is a real address there. */
export function isTestNetwork (network: string): boolean {
  return network === 'test' || network.startsWith('test-')
}

/**
 * The command that starts a second peer on this machine joining a running one: its own data dir, the same
 * network, DHT kind and chain, and the running peer as bootstrap (a loopback address on a test network,
 * where loopback counts, else a LAN one).
 */
export function secondPeerCommand (peer: { network: string, addrs: readonly string[], dht?: 'kademlia' | 'chord', chain?: string }): string | null {
  const loopback = (a: string): boolean => a.startsWith('/ip4/127.') || a.startsWith('/ip6/::1/')
  const testNetwork = isTestNetwork(peer.network)
  const withId = peer.addrs.filter(a => a.includes('/p2p/'))
  const addr = withId.find(a => loopback(a) === testNetwork) ?? withId[0]
  if (addr === undefined) return null
  return ['npx tidepool --headless --data-dir ./tidepool-peer-2', `--network ${peer.network}`,
    ...(peer.dht === 'chord' ? ['--dht chord'] : []), ...(peer.chain === undefined ? [] : [`--chain ${peer.chain}`]),
    `--bootstrap ${addr}`].join(' ')
}
