// `tidepool`: flags → config → a running peer + local API. Prints one JSON "ready" line on stdout;
// everything else goes to stderr and <data-dir>/tidepool.log.
import { homedir } from 'node:os'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseConfig, UsageError, USAGE, type Config } from './config.ts'
import { startPeer, type TidepoolPeer } from './peer.ts'
import { startApiServer, type ApiServer } from './api/server.ts'
import type { Route } from './api/router.ts'
import { peersRoutes } from './peers/routes.ts'
import { dhtRoutes } from './dht/routes.ts'
import { findRendererDir } from './api/static-files.ts'
import { loadOrCreateApiToken } from './api/token.ts'
import type { ReadyLine } from './api/contract.ts'
import { createLogger, type Logger } from './logger.ts'
import { findElectronBinary, launchDesktop } from './desktop.ts'
import { simulateDhtCommand } from './dht/simulator/cli.ts'
import { simulateAttackCommand } from './ledger/attack/cli.ts'
import { runSubcommand, type Subcommand } from './subcommand.ts'

/** Set by bin/tidepool.js when it runs the CLI as its child with a stdin pipe. */
export const PARENT_PIPE_ENV = 'TIDEPOOL_PARENT_PIPE'


export interface RunningTidepool {
  peer: TidepoolPeer
  api: ApiServer
  token: string
  ready: ReadyLine
  stop: () => Promise<void>
}

/** What the API serves: the peer's own routes, the DHT's, then each capability's. */
export function apiRoutes (peer: TidepoolPeer): Route[] {
  return [...peersRoutes(peer), ...dhtRoutes(peer), ...peer.capabilities.flatMap(c => c.routes)]
}

/** Starts the peer and its API; used by the CLI and by in-process tests alike. */
export async function runTidepool (config: Config, logger: Logger): Promise<RunningTidepool> {
  const token = await loadOrCreateApiToken(config.dataDir, { rotate: config.newToken })
  const peer = await startPeer(config, logger)
  let api: ApiServer
  try {
    api = await startApiServer({ port: config.apiPort, token, routes: apiRoutes(peer), mounts: peer.capabilities.flatMap(c => c.mounts ?? []), events: peer.events, rendererDir: findRendererDir(), logger })
  } catch (err) {
    await peer.stop()
    throw err
  }
  const ready: ReadyLine = { event: 'ready', peerId: peer.peerId.toString(), addrs: peer.addrs(), api: api.url, network: config.network }
  return {
    peer,
    api,
    token,
    ready,
    stop: async () => {
      await api.close()
      await peer.stop()
    }
  }
}

const SUBCOMMANDS: Record<string, Subcommand | undefined> = {
  'simulate-dht': simulateDhtCommand,
  'simulate-attack': simulateAttackCommand
}

export async function main (argv: string[]): Promise<number> {
  const subcommand = argv[0] === undefined ? undefined : SUBCOMMANDS[argv[0]]
  if (subcommand !== undefined) {
    return runSubcommand(argv[0]!, subcommand, argv.slice(1), line => { process.stdout.write(line + '\n') }, line => { process.stderr.write(line + '\n') })
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  let config: Config
  try {
    config = parseConfig(argv, { platform: process.platform, env: process.env, home: homedir() })
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`tidepool: ${err.message}\n${USAGE}\n`)
    return 2
  }

  if (!config.headless) {
    const electron = findElectronBinary()
    if ('path' in electron) {
      process.stderr.write('tidepool: opening the desktop app (use --headless for a peer without a window)\n')
      return await launchDesktop(electron.path, argv)
    }
    process.stderr.write(`tidepool: no Electron binary (${electron.reason}), so running headless: open the UI URL printed below in a browser\n`)
  }

  const logger = createLogger(config.dataDir)
  process.on('unhandledRejection', err => { logger.error(`unhandled rejection: ${(err as Error)?.stack ?? String(err)}`) })
  process.on('uncaughtException', err => { logger.error(`uncaught exception: ${err.stack ?? String(err)}`) })

  let running: RunningTidepool
  try {
    running = await runTidepool(config, logger)
  } catch (err) {
    logger.error(`could not start: ${(err as Error).message}`)
    await logger.close()
    return 1
  }
  process.stdout.write(JSON.stringify(running.ready) + '\n')
  logger.info(`peer ${running.ready.peerId} on network "${config.network}", data in ${config.dataDir}`)
  // The token goes to the terminal that started the peer, never to tidepool.log (which may be shared);
  // inside Electron this stderr line reaches main, which redacts it from its own log.
  process.stderr.write(`tidepool: UI: ${running.api.url}/#token=${running.token}\n`)
  if (config.newToken) logger.info('a new API token was made (--new-token); the previous one no longer works')

  return await new Promise<number>(resolve => {
    let stopping = false
    const shutdown = (signal: string): void => {
      if (stopping) { process.exit(130) }
      stopping = true
      logger.info(`${signal}: shutting down`)
      const force = setTimeout(() => { logger.error('shutdown took too long; exiting'); process.exit(1) }, 10_000)
      force.unref()
      running.stop()
        .then(async () => { await logger.close(); resolve(0) })
        .catch(async err => { logger.error(`shutdown failed: ${(err as Error).message}`); await logger.close(); resolve(1) })
    }
    process.on('SIGINT', () => { shutdown('SIGINT') })
    process.on('SIGTERM', () => { shutdown('SIGTERM') })
    if (process.env[PARENT_PIPE_ENV] === '1') {
      // Started by bin/tidepool.js under an older Node: when that launcher dies (even by SIGKILL), our
      // stdin pipe closes, and we must not live on as an orphan holding the data dir.
      process.stdin.on('close', () => { shutdown('launcher exited') })
      process.stdin.resume()
    }
    if ('parentPort' in process || process.channel !== undefined) watchParent(() => { shutdown('parent process exited') })
  })
}

/**
 * Started by a process that owns our lifetime (Electron main through utilityProcess, or a fork with an
 * IPC channel): when it dies, even by SIGKILL, we must not live on as an orphan holding the data dir.
 * Neither gives the child an event it can rely on for that, but the kernel re-parents an orphan, so a
 * changed parent pid is the sign.
 */
function watchParent (onGone: () => void): void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    onGone()
  }, 1000)
  timer.unref()
}

/** Runs the CLI and exits the process with its code. */
export function runCli (argv: string[]): void {
  main(argv).then(code => { process.exit(code) }, err => {
    process.stderr.write(`tidepool: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  })
}

// Run only as the entry point (`node p2p/cli.ts`, or Electron's utilityProcess, which has a parentPort),
// not when tests or bin/tidepool.js import this module.
const isEntryPoint = 'parentPort' in process ||
  (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
if (isEntryPoint) runCli(process.argv.slice(2))
