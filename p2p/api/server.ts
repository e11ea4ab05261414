// The local API: HTTP + a WebSocket event stream on 127.0.0.1 only, guarded by Host/Origin and a token.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { checkBasic, checkBearer, checkHostAndOrigin, checkWebSocketBearer, type GuardFailure } from './guard.ts'
import { sendError, sendJson } from './http.ts'
import { ApiError, EVENTS_PATH, WS_PROTOCOL } from './contract.ts'
import { Router, type Mount, type Route } from './router.ts'
import { serveStatic } from './static-files.ts'
import type { Logger } from '../logger.ts'
import { StoreError } from '../store/index.ts'

export const API_HOST = '127.0.0.1'
/** A slow event consumer is dropped rather than buffered without bound. */
const MAX_WS_BUFFERED_BYTES = 4 * 1024 * 1024

export interface ApiServerOptions {
  port: number
  token: string
  routes: Route[]
  /** Subtrees outside /api/ with their own handler and HTTP Basic auth (CalDAV). */
  mounts?: Mount[]
  /** The event stream's source; each event goes out as JSON as it is. */
  events: { subscribe: (listener: (event: unknown) => void) => () => void }
  rendererDir: string | undefined
  logger: Logger
}

export interface ApiServer {
  url: string
  port: number
  close: () => Promise<void>
}

function refuseUpgrade (socket: Duplex, failure: GuardFailure): void {
  const body = JSON.stringify({ error: { code: failure.code, message: failure.message } })
  socket.end(`HTTP/1.1 ${failure.status} ${failure.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\n` +
    `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
}

export async function startApiServer (options: ApiServerOptions): Promise<ApiServer> {
  const router = new Router()
  router.add(options.routes)
  let port = options.port

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const guard = checkHostAndOrigin(req.headers, port)
    if (guard !== undefined) { sendError(res, guard.status, guard.code, guard.message); return }
    const url = new URL(req.url ?? '/', `http://${API_HOST}:${port}`)
    const mount = options.mounts?.find(m => url.pathname.startsWith(m.prefix))
    if (mount !== undefined) {
      const failure = checkBasic(req.headers.authorization, options.token)
      if (failure !== undefined) {
        res.setHeader('www-authenticate', 'Basic realm="Tidepool", charset="UTF-8"')
        sendError(res, failure.status, failure.code, failure.message)
        return
      }
      await mount.handle({ req, res, url })
      return
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') { sendError(res, 405, 'method-not-allowed', 'the UI is read-only'); return }
      await serveStatic(res, options.rendererDir, url.pathname, port)
      return
    }
    const auth = checkBearer(req.headers.authorization, options.token)
    if (auth !== undefined) { sendError(res, auth.status, auth.code, auth.message); return }
    const match = router.match(req.method ?? 'GET', url.pathname)
    if (match === 'not-found') { sendError(res, 404, 'not-found', `no route ${url.pathname}`); return }
    if (match === 'method-not-allowed') { sendError(res, 405, 'method-not-allowed', `${req.method ?? ''} is not allowed on ${url.pathname}`); return }
    const body = await match.route.handle({ req, res, url, params: match.params })
    if (body !== undefined && !res.headersSent) sendJson(res, 200, body)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(err => {
      if (err instanceof ApiError) {
        if (!res.headersSent) sendError(res, err.status, err.code, err.message)
        else res.destroy()
        return
      }
      // Any route that writes can meet a full disk: one plain answer for all of them, nothing was saved.
      if (err instanceof StoreError && err.code === 'disk-full') {
        options.logger.error(`API ${req.method ?? ''} ${req.url ?? ''} refused: ${err.message}`)
        if (!res.headersSent) sendError(res, 507, 'disk-full', 'the disk is full: nothing was saved; free some space and try again')
        else res.destroy()
        return
      }
      options.logger.error(`API ${req.method ?? ''} ${req.url ?? ''} failed: ${(err as Error).stack ?? String(err)}`)
      if (!res.headersSent) sendError(res, 500, 'internal', (err as Error).message)
      else res.destroy()
    })
  })
  server.headersTimeout = 10_000
  server.requestTimeout = 60_000

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, handleProtocols: () => WS_PROTOCOL })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${API_HOST}:${port}`)
    const failure = checkHostAndOrigin(req.headers, port) ?? checkWebSocketBearer(req.headers['sec-websocket-protocol'], options.token)
    if (failure !== undefined) { refuseUpgrade(socket, failure); return }
    if (url.pathname !== EVENTS_PATH) { refuseUpgrade(socket, { status: 403, code: 'bad-host', message: `the only WebSocket is ${EVENTS_PATH}` }); return }
    wss.handleUpgrade(req, socket, head, ws => { subscribe(ws) })
  })

  const subscribe = (ws: WebSocket): void => {
    const unsubscribe = options.events.subscribe(event => {
      if (ws.bufferedAmount > MAX_WS_BUFFERED_BYTES) { ws.terminate(); return }
      ws.send(JSON.stringify(event))
    })
    ws.on('close', unsubscribe)
    ws.on('error', unsubscribe)
    // The stream is one-way; anything a client sends is ignored.
    ws.on('message', () => {})
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, API_HOST, () => { server.off('error', reject); resolve() })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://${API_HOST}:${port}`,
    port,
    close: async () => {
      for (const client of wss.clients) client.close(1001, 'peer shutting down')
      wss.close()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}
