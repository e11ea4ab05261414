// A real Tidepool peer in a child process, started through the `tidepool` command, for net and e2e tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { ReadyLine } from '../../p2p/api/contract.ts'
import { makeTempDir, ownChild } from './cleanup.ts'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const TIDEPOOL_BIN = join(ROOT, 'bin', 'tidepool.js')
// Generous: a peer starting on a loaded 2-core machine (Node start-up, type stripping, LevelDB) has taken over 30 s.
const READY_TIMEOUT_MS = 120_000
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
  return await makeTempDir(`tidepool-${label}-`)
}

export interface PeerProcessOptions {
  dataDir?: string
  network?: string
  args?: string[]
  /** Run inside this network namespace (made by the test); the API is then reached from inside it too. */
  netns?: string
  /** Listen address (default /ip4/127.0.0.1/tcp/0). */
  listen?: string
  /** Keep mDNS on (default off: tests on 127.0.0.1 find each other by address). */
  mdns?: boolean
}

export async function startPeerProcess (options: PeerProcessOptions = {}): Promise<PeerProcess> {
  const dataDir = options.dataDir ?? await makeDataDir()
  const args = [
    TIDEPOOL_BIN, '--headless', '--api-port', '0',
    ...(options.mdns === true ? [] : ['--no-mdns']),
    '--listen', options.listen ?? '/ip4/127.0.0.1/tcp/0',
    '--network', options.network ?? 'test-net',
    '--data-dir', dataDir,
    ...(options.args ?? [])
  ]
  // `ip netns exec` execs the command, so signals still reach the peer itself.
  const child = options.netns === undefined
    ? ownChild(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] }))
    : ownChild(spawn('ip', ['netns', 'exec', options.netns, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }))
  let stderr = ''
  child.stderr?.on('data', chunk => { stderr += String(chunk) })
  const exited = new Promise<ExitInfo>(resolve => child.once('exit', (code, signal) => { resolve({ code, signal }) }))

  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`peer not ready in ${READY_TIMEOUT_MS} ms:\n${stderr}`)) }, READY_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', line => { clearTimeout(timer); resolve(ReadyLine.parse(JSON.parse(line))) })
    void exited.then(exit => { clearTimeout(timer); reject(new Error(`peer exited (${JSON.stringify(exit)}) before ready:\n${stderr}`)) })
  })
  const token = (await readFile(join(dataDir, 'api-token'), 'utf8')).trim()
  const fetcher = options.netns === undefined ? undefined : namespaceFetcher(options.netns)
  void exited.then(() => { fetcher?.close() })

  return {
    ready,
    token,
    dataDir,
    child,
    stderr: () => stderr,
    api: async (path, init = {}) => {
      const request = {
        url: ready.api + path,
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body)
      }
      return fetcher === undefined ? await fetchJson(request) : await fetcher.fetch(request)
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

interface JsonRequest { url: string, method: string, headers: Record<string, string>, body?: string }

async function fetchJson ({ url, ...init }: JsonRequest): Promise<{ status: number, body: any }> {
  const res = await fetch(url, init)
  return { status: res.status, body: await res.json() }
}

/**
 * The API listens on the namespace's own 127.0.0.1, so requests are made from inside it, by one helper
 * process per peer (a JSON line each way): a process per request would cost more than what a test times.
 */
function namespaceFetcher (netns: string): { fetch: (request: JsonRequest) => Promise<{ status: number, body: any }>, close: () => void } {
  const script = "const rl=require('readline').createInterface({input:process.stdin});rl.on('line',l=>{const{id,r}=JSON.parse(l);fetch(r.url,r).then(async res=>({status:res.status,body:await res.json()}),e=>({error:String(e)})).then(o=>process.stdout.write(JSON.stringify({id,...o})+'\\n'))})"
  const child = ownChild(spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }))
  const waiting = new Map<number, { resolve: (v: { status: number, body: any }) => void, reject: (e: Error) => void }>()
  let next = 0
  createInterface({ input: child.stdout }).on('line', line => {
    const { id, error, ...answer } = JSON.parse(line)
    const waiter = waiting.get(id)
    waiting.delete(id)
    if (error !== undefined) waiter?.reject(new Error(error))
    else waiter?.resolve(answer)
  })
  child.once('exit', () => { for (const waiter of waiting.values()) waiter.reject(new Error(`the fetch helper in ${netns} exited`)) })
  return {
    fetch: async request => await new Promise((resolve, reject) => {
      const id = next++
      waiting.set(id, { resolve, reject })
      child.stdin.write(JSON.stringify({ id, r: request }) + '\n')
    }),
    close: () => { child.stdin.end() }
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
