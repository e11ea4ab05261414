// A real Tidepool peer in a child process, started through the `tidepool` command, for net and e2e tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import type { ReadyLine } from '../../p2p/cli.ts'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const TIDEPOOL_BIN = join(ROOT, 'bin', 'tidepool.js')
const READY_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface PeerProcess {
  ready: ReadyLine
  token: string
  dataDir: string
  child: ChildProcess
  stderr: () => string
  /** Calls the local API with the token; resolves to status and parsed JSON. */
  api: <T = any>(path: string, init?: { method?: string, body?: unknown, headers?: Record<string, string> }) => Promise<{ status: number, body: T }>
  /** The UI's address, holding the token in its fragment. */
  uiUrl: string
  /** SIGTERM, then SIGKILL if it hangs; resolves to how it exited. Safe to call twice. */
  stop: () => Promise<ExitInfo>
  /** SIGKILL, as a crash would. */
  kill: () => Promise<void>
}

export async function makeDataDir (label = 'peer'): Promise<string> {
  return await mkdtemp(join(tmpdir(), `tidepool-${label}-`))
}

export async function startPeerProcess (options: { dataDir?: string, network?: string, args?: string[] } = {}): Promise<PeerProcess> {
  const dataDir = options.dataDir ?? await makeDataDir()
  const args = [
    TIDEPOOL_BIN, '--headless', '--no-mdns', '--api-port', '0',
    '--listen', '/ip4/127.0.0.1/tcp/0',
    '--network', options.network ?? 'test-net',
    '--data-dir', dataDir,
    ...(options.args ?? [])
  ]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', chunk => { stderr += String(chunk) })
  const exited = new Promise<ExitInfo>(resolve => child.once('exit', (code, signal) => { resolve({ code, signal }) }))

  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`peer not ready in ${READY_TIMEOUT_MS} ms:\n${stderr}`)) }, READY_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', line => { clearTimeout(timer); resolve(JSON.parse(line) as ReadyLine) })
    void exited.then(exit => { clearTimeout(timer); reject(new Error(`peer exited (${JSON.stringify(exit)}) before ready:\n${stderr}`)) })
  })
  const token = (await readFile(join(dataDir, 'api-token'), 'utf8')).trim()

  return {
    ready,
    token,
    dataDir,
    child,
    stderr: () => stderr,
    api: async (path, init = {}) => {
      const res = await fetch(ready.api + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body)
      })
      return { status: res.status, body: await res.json() }
    },
    uiUrl: `${ready.api}/#token=${token}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const hung = setTimeout(() => { child.kill('SIGKILL') }, STOP_TIMEOUT_MS)
        void exited.then(() => { clearTimeout(hung) })
      }
      return await exited
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    }
  }
}

/** Polls a condition that the system reaches by itself (gossip, DHT refresh); fails with the last value. */
export async function eventually<T> (what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await probe()
    if (ok(last)) return last
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`${what}: not reached in ${timeoutMs} ms; last value ${JSON.stringify(last)}`)
}
