// HTTP client for the local API. Every call sends the bearer token; every failure becomes an ApiError
// carrying the API's kebab-case code, so callers match on `code`, never on message text.
import type { DialResult, NetworkResult, ProvideResult, ProvidersResult, Status } from './types.ts'

/** Codes made up on this side, for failures that never reached an API answer. */
export type ClientErrorCode = 'network-error' | 'bad-response' | 'aborted'

export class ApiError extends Error {
  override name = 'ApiError'
  /** The API's error code (e.g. `invalid-multiaddr`, `unauthorized`) or a ClientErrorCode. */
  readonly code: string
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number

  constructor (code: string, message: string, status: number) {
    super(message)
    this.code = code
    this.status = status
  }
}

export function isApiError (err: unknown): err is ApiError {
  return err instanceof Error && err.name === 'ApiError'
}

/** Plain-text form of any error, for showing in the UI. */
export function errorText (err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** How long one API call may take before we give up on it. */
export const REQUEST_TIMEOUT_MS = 30_000

export interface ApiClient {
  status: (signal?: AbortSignal) => Promise<Status>
  dial: (addr: string, signal?: AbortSignal) => Promise<DialResult>
  setOnline: (online: boolean, signal?: AbortSignal) => Promise<NetworkResult>
  provide: (key: string, signal?: AbortSignal) => Promise<ProvideResult>
  providers: (key: string, signal?: AbortSignal) => Promise<ProvidersResult>
  /** Any route with a JSON body (or none); capability views build their calls on this. */
  request: <T>(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal) => Promise<T>
  /** A route whose body is raw bytes (e.g. a file being added). */
  upload: <T>(path: string, body: Blob, signal?: AbortSignal) => Promise<T>
  /** A GET route answering with a file (e.g. an .ics export), fetched with the token like any call. */
  download: (path: string, signal?: AbortSignal) => Promise<Blob>
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

interface ErrorBody { error?: { code?: unknown, message?: unknown } }

async function parseError (res: Response): Promise<ApiError> {
  let code = `http-${res.status}`
  let message = `${res.status} ${res.statusText}`.trim()
  try {
    const body = await res.json() as ErrorBody
    if (typeof body.error?.code === 'string') code = body.error.code
    if (typeof body.error?.message === 'string' && body.error.message !== '') message = body.error.message
    else if (typeof body.error?.code === 'string') message = `${body.error.code} (HTTP ${res.status})`
  } catch {
    // not JSON: keep the HTTP status line
  }
  return new ApiError(code, message, res.status)
}

/**
 * @param token  the API token (from the URL fragment or the paste box)
 * @param base   origin of the API; '' means the page's own origin (the core serves the UI)
 */
export function createClient (token: string, base = ''): ApiClient {
  /** One request with the token; `read` turns the successful answer into the result. */
  async function send<T> (method: HttpMethod, path: string, body: unknown, signal: AbortSignal | undefined, accept: string, read: (res: Response) => Promise<T>): Promise<T> {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    const merged = signal != null ? AbortSignal.any([signal, timeout]) : timeout
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: accept
    }
    const raw = body instanceof Blob
    if (body !== undefined) headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json'
    let res: Response
    try {
      res = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
        signal: merged,
        cache: 'no-store',
        credentials: 'omit'
      })
    } catch (err) {
      if (signal?.aborted === true) throw new ApiError('aborted', 'request cancelled', 0)
      if (timeout.aborted) throw new ApiError('network-error', `no answer from the local API after ${REQUEST_TIMEOUT_MS / 1000} s`, 0)
      throw new ApiError('network-error', `cannot reach the local API (${errorText(err)})`, 0)
    }
    if (!res.ok) throw await parseError(res)
    return await read(res)
  }

  async function call<T> (method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return await send(method, path, body, signal, 'application/json', async res => {
      try {
        return await res.json() as T
      } catch {
        throw new ApiError('bad-response', `the API answered ${method} ${path} with something that is not JSON`, res.status)
      }
    })
  }

  async function download (path: string, signal?: AbortSignal): Promise<Blob> {
    return await send('GET', path, undefined, signal, '*/*', async res => {
      try {
        return await res.blob()
      } catch (err) {
        if (signal?.aborted === true) throw new ApiError('aborted', 'request cancelled', 0)
        throw new ApiError('network-error', `the download of ${path} broke off (${errorText(err)})`, res.status)
      }
    })
  }

  return {
    status: async (signal) => await call<Status>('GET', '/api/status', undefined, signal),
    dial: async (addr, signal) => await call<DialResult>('POST', '/api/peers/dial', { addr }, signal),
    setOnline: async (online, signal) => await call<NetworkResult>('POST', '/api/network', { online }, signal),
    provide: async (key, signal) => await call<ProvideResult>('POST', '/api/dht/provide', { key }, signal),
    providers: async (key, signal) =>
      await call<ProvidersResult>('GET', `/api/dht/providers?key=${encodeURIComponent(key)}`, undefined, signal),
    request: call,
    upload: async (path, body, signal) => await call('POST', path, body, signal),
    download
  }
}
