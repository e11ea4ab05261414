// A real peer in this process (no child), for tests that don't need process boundaries.
import { tmpdir } from 'node:os'
import { request } from 'node:http'
import { parseConfig } from '../../p2p/config.ts'
import { runTidepool, type RunningTidepool } from '../../p2p/cli.ts'
import type { Logger } from '../../p2p/logger.ts'
import { makeTempDir } from './cleanup.ts'

export const quietLogger: Logger = { info: () => {}, error: () => {}, close: async () => {} }

/** TEST_LOG=1 prints in-process peers' logs to stderr, each line named by the peer's data dir: what a flaky test did. */
function testLogger (dir: string): Logger {
  if (process.env.TEST_LOG === undefined) return quietLogger
  const write = (line: string): void => { process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${dir.slice(-6)} ${line}\n`) }
  return { info: write, error: write, close: async () => {} }
}

export async function startInProcess (args: string[] = [], dataDir?: string, logger?: Logger): Promise<RunningTidepool> {
  const dir = dataDir ?? await makeTempDir('tidepool-inproc-')
  const config = parseConfig(['--headless', '--no-mdns', '--network', 'test-inproc', '--data-dir', dir, ...args],
    { platform: process.platform, env: {}, home: tmpdir() })
  return await runTidepool(config, logger ?? testLogger(dir))
}

export interface RawResponse { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** A raw HTTP request, so tests can send any Host header (fetch would not let them). */
export async function rawRequest (url: string, options: { method?: string, headers?: Record<string, string>, body?: string | Buffer } = {}): Promise<RawResponse> {
  return await new Promise((resolve, reject) => {
    // Content-Length always: Node sends a DELETE's body unframed otherwise, and it reads as a next request.
    const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }
    const req = request(url, { method: options.method ?? 'GET', headers: { ...length, ...options.headers } }, res => {
      let body = ''
      res.on('data', chunk => { body += String(chunk) })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A JSON call on an in-process peer's API with its token: GET without a body, POST with one. */
export async function callApi (peer: RunningTidepool, path: string, body?: unknown): Promise<{ status: number, body: any }> {
  const res = await fetch(peer.ready.api + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${peer.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, body: await res.json() }
}
