// Who may talk to the local API: only pages and programs on this machine that hold the token.
import type { IncomingMessage } from 'node:http'
import { tokensEqual } from './token.ts'
import { WS_BEARER_PREFIX, WS_PROTOCOL } from './contract.ts'

export type GuardFailure = { status: 401 | 403, code: 'bad-host' | 'bad-origin' | 'unauthorized', message: string }

export function allowedOrigins (port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`]
}

/** Host must name us (defeats DNS rebinding); Origin, when sent, must be our own (no cross-site calls). */
export function checkHostAndOrigin (headers: IncomingMessage['headers'], port: number): GuardFailure | undefined {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`]
  if (headers.host === undefined || !hosts.includes(headers.host.toLowerCase())) {
    return { status: 403, code: 'bad-host', message: `Host ${JSON.stringify(headers.host ?? '')} is not this API's own (${hosts.join(' or ')})` }
  }
  const origin = headers.origin
  if (origin !== undefined && !allowedOrigins(port).includes(origin.toLowerCase())) {
    return { status: 403, code: 'bad-origin', message: `requests from ${JSON.stringify(origin)} are not allowed` }
  }
  return undefined
}

export function checkBearer (authorization: string | undefined, token: string): GuardFailure | undefined {
  // RFC 7235: the auth scheme is case-insensitive (`bearer`, `BEARER`).
  const match = /^Bearer +([A-Za-z0-9_-]+)$/i.exec(authorization ?? '')
  if (match?.[1] === undefined || !tokensEqual(match[1], token)) {
    return { status: 401, code: 'unauthorized', message: 'send Authorization: Bearer <token>; the token is in <data-dir>/api-token' }
  }
  return undefined
}

/** Browsers can't set headers on a WebSocket, so the token rides in Sec-WebSocket-Protocol. */
export function checkWebSocketBearer (protocolHeader: string | undefined, token: string): GuardFailure | undefined {
  const offered = (protocolHeader ?? '').split(',').map(p => p.trim())
  const bearer = offered.find(p => p.startsWith(WS_BEARER_PREFIX))?.slice(WS_BEARER_PREFIX.length)
  if (!offered.includes(WS_PROTOCOL) || bearer === undefined) {
    return { status: 401, code: 'unauthorized', message: `offer subprotocols "${WS_PROTOCOL}" and "${WS_BEARER_PREFIX}<token>"` }
  }
  return checkBearer(`Bearer ${bearer}`, token)
}
