// Starting, watching and stopping the Tidepool core from Electron's main process.
//
// Why a utilityProcess (Electron's `utilityProcess.fork`) and not something else:
// - Not in the main process: the core runs libp2p, LevelDB and hashing; any stall there would freeze
//   every window, menu and dialog, and a crash would take the whole app down.
// - Not `child_process.fork`/`spawn`: inside a packaged app there is no `node` binary, so it would
//   have to re-run Electron's own executable with ELECTRON_RUN_AS_NODE=1 — exactly the switch the
//   `runAsNode` fuse turns off (electron-builder.yml), because it lets anyone use the signed app as a
//   general-purpose Node. A utility process is started by Chromium's process launcher from Electron's
//   helper, is a full Node environment (ESM, asar, native addons such as classic-level), shows up by
//   its `serviceName` in `app.getAppMetrics()` and crash reports, and dies with the app.
// - Not a renderer or hidden window: the core needs Node, and a renderer with Node is what the
//   window hardening exists to prevent.
// - And it stays the very same program as headless mode: `p2p/cli.ts --headless …` compiled to
//   dist/p2p/cli.js, the same flags, the same one-line `ready` contract on stdout, the same SIGTERM
//   handling — so what the tests prove about `tidepool --headless` holds in the app too.
//
// Electron itself is passed in (`fork`), so this module runs, and is tested, under plain Node.
import type { ForkOptions } from 'electron'
import { join } from 'node:path'
import {
  API_TOKEN_FILE, LineSplitter, ReadyLineError, STDERR_TAIL_LINES,
  buildCoreArgs, parseApiToken, parseReadyLine, redactSecrets, sanitizeCoreEnv, uiUrl, type CoreReady
} from './core-protocol.ts'

/** How long the core may take from fork to its ready line (ms): opening the store, identity, libp2p. */
export const CORE_READY_TIMEOUT_MS = 30_000
/** How long the core gets to exit after SIGTERM before it is killed (ms). */
export const CORE_STOP_TIMEOUT_MS = 5_000
/** How long to wait for the exit after a hard kill (ms). */
export const CORE_KILL_WAIT_MS = 2_000
/** What the core is called in `app.getAppMetrics()` and crash reports. */
export const CORE_SERVICE_NAME = 'Tidepool core'

/** The part of Electron's UtilityProcess this module uses; a Node ChildProcess fits it too. */
export interface CoreChild {
  readonly pid: number | undefined
  readonly stdout: NodeJS.ReadableStream | null
  readonly stderr: NodeJS.ReadableStream | null
  kill (): boolean
  on (event: 'spawn', listener: () => void): unknown
  on (event: 'exit', listener: (code: number) => void): unknown
}

export type ForkCore = (modulePath: string, args: string[], options: ForkOptions) => CoreChild

export interface CoreProcessDeps {
  /** `utilityProcess.fork` in Electron. */
  fork: ForkCore
  /** Reads a UTF-8 file (the API token). */
  readFile: (path: string) => Promise<string>
  /** Kills the process outright (SIGKILL on POSIX, TerminateProcess on Windows). */
  killHard: (pid: number) => void
  /** Where the core's stderr, its other stdout lines and our own notes go (one line each). */
  log: (line: string) => void
  /** The environment to derive the core's from; dangerous variables are removed. */
  env: Readonly<Record<string, string | undefined>>
}

export interface CoreProcessOptions {
  /** Absolute path of dist/p2p/cli.js. */
  modulePath: string
  dataDir: string
  /** The user's pass-through flags (--network, --bootstrap, --listen, --no-mdns). */
  coreFlags: readonly string[]
  readyTimeoutMs?: number
  stopTimeoutMs?: number
  killWaitMs?: number
}

export interface CoreRunning {
  ready: CoreReady
  token: string
  /** `${apiOrigin}/#token=…`: what the window loads. */
  url: string
}

export interface CoreExit {
  code: number
  stderrTail: string[]
}

export type CoreStartErrorCode = 'spawn-failed' | 'exited' | 'timeout' | 'bad-ready-line' | 'no-token' | 'stopped'

/** The core did not come up. `stderrTail` holds its last stderr lines, for the error dialog. */
export class CoreStartError extends Error {
  override name = 'CoreStartError'
  readonly code: CoreStartErrorCode
  readonly stderrTail: string[]

  constructor (code: CoreStartErrorCode, message: string, stderrTail: string[]) {
    super(message)
    this.code = code
    this.stderrTail = stderrTail
  }
}

export type CoreState = 'idle' | 'starting' | 'running' | 'stopping' | 'exited'

export interface CoreProcess {
  readonly state: CoreState
  /** Forks the core and resolves once it printed its ready line and its token was read. */
  start (): Promise<CoreRunning>
  /** SIGTERM, then a hard kill after the stop timeout. Resolves once the process is gone. */
  stop (): Promise<void>
  /** Called when a started core exits without stop() having been asked for. */
  onUnexpectedExit (listener: (exit: CoreExit) => void): () => void
  /** The core's last stderr lines. */
  stderrTail (): string[]
}

export function createCoreProcess (deps: CoreProcessDeps, options: CoreProcessOptions): CoreProcess {
  const readyTimeoutMs = options.readyTimeoutMs ?? CORE_READY_TIMEOUT_MS
  const stopTimeoutMs = options.stopTimeoutMs ?? CORE_STOP_TIMEOUT_MS
  const killWaitMs = options.killWaitMs ?? CORE_KILL_WAIT_MS
  const exitListeners = new Set<(exit: CoreExit) => void>()

  let state: CoreState = 'idle'
  let child: CoreChild | undefined
  let exited = true
  let exitWaiters: Array<() => void> = []
  let stopping: Promise<void> | undefined
  let stopRequested = false
  let tail: string[] = []

  function remember (line: string): void {
    tail.push(line)
    if (tail.length > STDERR_TAIL_LINES) tail = tail.slice(-STDERR_TAIL_LINES)
  }

  function waitForExit (ms: number): Promise<boolean> {
    if (exited) return Promise.resolve(true)
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        exitWaiters = exitWaiters.filter(w => w !== done)
        resolve(false)
      }, ms)
      const done = (): void => {
        clearTimeout(timer)
        resolve(true)
      }
      exitWaiters.push(done)
    })
  }

  function stop (): Promise<void> {
    if (child === undefined || exited) return Promise.resolve()
    if (stopping !== undefined) return stopping
    const current = child
    stopRequested = true
    state = 'stopping'
    stopping = (async () => {
      current.kill()
      if (await waitForExit(stopTimeoutMs)) return
      deps.log(`tidepool: the core did not exit within ${stopTimeoutMs} ms of SIGTERM; killing it`)
      if (current.pid !== undefined) {
        try {
          deps.killHard(current.pid)
        } catch (err) {
          deps.log(`tidepool: could not kill the core (pid ${current.pid}): ${(err as Error).message}`)
        }
      }
      if (!await waitForExit(killWaitMs)) deps.log('tidepool: the core is still not gone after a hard kill')
    })().finally(() => { stopping = undefined })
    return stopping
  }

  function start (): Promise<CoreRunning> {
    if (state === 'starting' || state === 'running' || state === 'stopping') {
      return Promise.reject(new Error(`the core is already ${state}`))
    }
    tail = []
    stopRequested = false
    state = 'starting'
    const args = buildCoreArgs(options.dataDir, options.coreFlags)
    const forkOptions: ForkOptions = {
      stdio: 'pipe',
      serviceName: CORE_SERVICE_NAME,
      env: sanitizeCoreEnv(deps.env),
      // A real directory: a cwd inside app.asar makes the process launch fail.
      cwd: options.dataDir
    }

    return new Promise<CoreRunning>((resolve, reject) => {
      let settled = false
      let timer: ReturnType<typeof setTimeout> | undefined

      const fail = (code: CoreStartErrorCode, message: string): void => {
        if (settled) return
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        const error = new CoreStartError(code, message, [...tail])
        void stop().then(() => {
          state = 'exited'
          reject(error)
        })
      }

      let proc: CoreChild
      try {
        proc = deps.fork(options.modulePath, args, forkOptions)
      } catch (err) {
        state = 'exited'
        settled = true
        reject(new CoreStartError('spawn-failed', `could not start the core: ${(err as Error).message}`, []))
        return
      }
      child = proc
      exited = false

      const onReady = async (ready: CoreReady): Promise<void> => {
        let token: string
        try {
          token = parseApiToken(await deps.readFile(join(options.dataDir, API_TOKEN_FILE)))
        } catch (err) {
          fail('no-token', `the core is up but its API token could not be read: ${(err as Error).message}`)
          return
        }
        if (settled) return
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        state = 'running'
        deps.log(`tidepool: core ready: peer ${ready.peerId}, network ${ready.network}, API ${ready.apiOrigin}`)
        resolve({ ready, token, url: uiUrl(ready.apiOrigin, token) })
      }

      const stdoutLines = new LineSplitter()
      const onStdoutLine = ({ line, truncated }: { line: string, truncated: boolean }): void => {
        if (!settled && state === 'starting' && !truncated) {
          try {
            const ready = parseReadyLine(line)
            if (ready !== undefined) {
              void onReady(ready)
              return
            }
          } catch (err) {
            if (err instanceof ReadyLineError) {
              fail('bad-ready-line', `the core's ready line is malformed: ${err.message}`)
              return
            }
            throw err
          }
        }
        if (line !== '') deps.log(`[core stdout] ${redactSecrets(line)}${truncated ? ' …(cut)' : ''}`)
      }
      proc.stdout?.on('data', (chunk: Uint8Array | string) => { stdoutLines.push(chunk).forEach(onStdoutLine) })
      proc.stdout?.on('end', () => { stdoutLines.end().forEach(onStdoutLine) })

      const stderrLines = new LineSplitter()
      const onStderrLine = ({ line, truncated }: { line: string, truncated: boolean }): void => {
        const text = redactSecrets(truncated ? `${line} …(cut)` : line)
        remember(text)
        deps.log(`[core] ${text}`)
      }
      proc.stderr?.on('data', (chunk: Uint8Array | string) => { stderrLines.push(chunk).forEach(onStderrLine) })
      proc.stderr?.on('end', () => { stderrLines.end().forEach(onStderrLine) })

      proc.on('spawn', () => { deps.log(`tidepool: core started (pid ${proc.pid ?? '?'})`) })
      proc.on('exit', (code: number) => {
        exited = true
        const waiters = exitWaiters
        exitWaiters = []
        for (const w of waiters) w()
        const wasState = state
        if (child === proc) child = undefined
        deps.log(`tidepool: core exited with code ${code}`)
        if (!settled) {
          if (stopRequested) {
            fail('stopped', 'the core was stopped before it was ready')
          } else {
            // Give the last stderr lines (the reason) a moment to arrive before reporting.
            setTimeout(() => fail('exited', `the core exited with code ${code} before it was ready`), 50)
          }
          return
        }
        state = 'exited'
        if (wasState === 'running') {
          const exit: CoreExit = { code, stderrTail: [...tail] }
          for (const listener of exitListeners) listener(exit)
        }
      })

      timer = setTimeout(() => {
        fail('timeout', `the core did not report ready within ${Math.round(readyTimeoutMs / 1000)} s`)
      }, readyTimeoutMs)
    })
  }

  return {
    get state () { return state },
    start,
    stop,
    onUnexpectedExit (listener) {
      exitListeners.add(listener)
      return () => { exitListeners.delete(listener) }
    },
    stderrTail: () => [...tail]
  }
}
