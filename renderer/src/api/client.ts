// The transport to the local API. Every call sends the bearer token; every failure becomes the core's
// ApiError carrying the API's kebab-case code, so callers match on `code`, never on message text.
// The routes themselves are called through one client module per feature (peers.ts, dht.ts, files.ts,
// calendar.ts, ledger.ts next to this file); views never name an API path.
import type { z } from 'zod'
import { ApiError, ErrorBody } from '../../../p2p/api/contract.ts'
import { messageFor } from './error-messages.ts'

export { ApiError }
export type { ClientErrorCode } from './error-messages.ts'

/** What any error means to a person: the message for its code, else its own text. */
export function errorText (err: unknown): string {
  if (err instanceof ApiError) return messageFor(err.code) ?? err.message
  if (err instanceof Error) return err.message
  return String(err)
}

/** The API's own words for an error (code and message), for a details view; null for other errors. */
export function errorDetails (err: unknown): string | null {
  return err instanceof ApiError ? `${err.code}: ${err.message}` : null
}

/** How long one API call may take before we give up on it. */
export const REQUEST_TIMEOUT_MS = 30_000

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface ApiClient {
  /** A route with a JSON body (or none) answering JSON of the core's declared type. */
  request: <T>(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal) => Promise<T>
  /** A route whose body is raw bytes (e.g. a file being added). */
  upload: <T>(path: string, body: Blob, signal?: AbortSignal) => Promise<T>
  /** A GET route answering with a file (e.g. an .ics export), fetched with the token like any call. */
  download: (path: string, signal?: AbortSignal) => Promise<Blob>
}

/** An answer checked against the core's own schema; one that doesn't fit is a `bad-response`. */
export function checked<S extends z.ZodType> (schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const problem = parsed.error.issues[0]
  throw new ApiError(0, 'bad-response', `the API's answer to ${what} is not what it declares (${problem?.path.join('.') ?? ''}: ${problem?.message ?? ''})`)
}

async function parseError (res: Response): Promise<ApiError> {
  const fallback = new ApiError(res.status, `http-${res.status}`, `${res.status} ${res.statusText}`.trim())
  let value: unknown
  try {
    value = await res.json()
  } catch {
    return fallback // not JSON: keep the HTTP status line
  }
  const body = ErrorBody.safeParse(value)
  if (!body.success) return fallback
  const { code, message } = body.data.error
  return new ApiError(res.status, code, message !== '' ? message : `${code} (HTTP ${res.status})`)
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
      if (signal?.aborted === true) throw new ApiError(0, 'aborted', 'request cancelled')
      if (timeout.aborted) throw new ApiError(0, 'network-error', `no answer from the local API after ${REQUEST_TIMEOUT_MS / 1000} s`)
      throw new ApiError(0, 'network-error', `cannot reach the local API (${errorText(err)})`)
    }
    if (!res.ok) throw await parseError(res)
    return await read(res)
  }

  async function call<T> (method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return await send(method, path, body, signal, 'application/json', async res => {
      try {
        return await res.json() as T
      } catch {
        throw new ApiError(res.status, 'bad-response', `the API answered ${method} ${path} with something that is not JSON`)
      }
    })
  }

  async function download (path: string, signal?: AbortSignal): Promise<Blob> {
    return await send('GET', path, undefined, signal, '*/*', async res => {
      try {
        return await res.blob()
      } catch (err) {
        if (signal?.aborted === true) throw new ApiError(0, 'aborted', 'request cancelled')
        throw new ApiError(res.status, 'network-error', `the download of ${path} broke off (${errorText(err)})`)
      }
    })
  }

  return {
    request: call,
    upload: async (path, body, signal) => await call('POST', path, body, signal),
    download
  }
}
