// `npm start [-- flags]` → `node scripts/start.ts [flags]` (Node >= 22: it runs TypeScript directly).
//
// Builds the UI (vite), then:
// - with an Electron binary (the optional `electron` package installed with its binary): compiles
//   p2p/ and main/ (tsc -p tsconfig.build.json) and opens the desktop app on them;
// - without one: says so in one line on stderr and runs the headless core (`node p2p/cli.ts
//   --headless`), then prints the URL to open in a browser: `${api}/#token=<token>`.
// The flags (--network, --bootstrap, --listen, --no-mdns, --data-dir, …) go to the app or the core.
// `--no-build` (start.ts's own flag, not passed on) skips both builds.
// SIGINT/SIGTERM are passed to the child; start.ts exits with its code.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultDataDir } from '../p2p/config.ts'
import { secondPeerCommand } from '../p2p/api/contract.ts'
import { findElectronBinary, launchDesktop } from '../p2p/desktop.ts'
import { API_TOKEN_FILE, LineSplitter, ReadyLineError, parseApiToken, parseReadyLine, uiUrl } from '../main/core-protocol.ts'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const NODE = process.execPath
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
const RENDERER_CONFIG = join(ROOT, 'renderer', 'vite.config.ts')

function say (line: string): void {
  process.stderr.write(`tidepool: ${line}\n`)
}

/** Runs a build step to completion with inherited output; resolves to its exit code. */
function runStep (label: string, command: string, args: string[]): Promise<number> {
  say(`${label}…`)
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' })
    child.on('error', err => { say(`${label} could not run: ${err.message}`); resolve(127) })
    child.on('exit', code => { resolve(code ?? 1) })
  })
}

/** Passes SIGINT/SIGTERM to the child and exits with its code (or re-raises its signal). */
function supervise (child: ChildProcess): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => { child.kill(signal) })
  }
  child.on('error', err => {
    say(`could not start ${child.spawnfile}: ${err.message}`)
    process.exit(127)
  })
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal)
      process.kill(process.pid, signal)
    } else {
      process.exit(code ?? 1)
    }
  })
}

/** The data dir the headless core will use: --data-dir, else the core's own default. */
/** The value given for `--name` (as `--name V` or `--name=V`), if any. */
function flagOf (args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === name && args[i + 1] !== undefined) return args[i + 1]
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1)
  }
  return undefined
}

function dataDirOf (args: readonly string[]): string {
  const given = flagOf(args, '--data-dir')
  return given !== undefined ? resolve(given) : defaultDataDir({ platform: process.platform, env: process.env, home: homedir() })
}

function startHeadless (args: string[]): void {
  const cli = join(ROOT, 'p2p', 'cli.ts')
  const child = spawn(NODE, [cli, '--headless', ...args], { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'] })
  supervise(child)
  const lines = new LineSplitter()
  let announced = false
  const onLine = ({ line }: { line: string }): void => {
    process.stdout.write(line + '\n')
    if (announced) return
    let ready
    try {
      ready = parseReadyLine(line)
    } catch (err) {
      if (err instanceof ReadyLineError) { say(err.message); return }
      throw err
    }
    if (ready === undefined) return
    announced = true
    const tokenFile = join(dataDirOf(args), API_TOKEN_FILE)
    try {
      const token = parseApiToken(readFileSync(tokenFile, 'utf8'))
      process.stdout.write(`\nTidepool is running (peer ${ready.peerId}, network ${ready.network}). Open the UI:\n\n  ${uiUrl(ready.apiOrigin, token)}\n\n`)
      const dht = flagOf(args, '--dht')
      const second = secondPeerCommand({ network: ready.network, addrs: ready.addrs, dht: dht === 'chord' ? 'chord' : undefined, chain: flagOf(args, '--chain') })
      if (second != null) process.stdout.write(`A second peer on this machine that joins this one:\n\n  ${second}\n\n`)
    } catch (err) {
      say(`the core is up at ${ready.api}, but its token could not be read from ${tokenFile}: ${(err as Error).message}`)
    }
  }
  child.stdout?.on('data', (chunk: Buffer) => { lines.push(chunk).forEach(onLine) })
  child.stdout?.on('end', () => { lines.end().forEach(onLine) })
}

async function main (argv: string[]): Promise<void> {
  const build = !argv.includes('--no-build')
  const args = argv.filter(a => a !== '--no-build')

  if (build) {
    if (existsSync(RENDERER_CONFIG)) {
      const code = await runStep('building the UI (vite build -c renderer/vite.config.ts)', NODE, [VITE, 'build', '-c', RENDERER_CONFIG])
      if (code !== 0) { say(`the UI build failed (exit code ${code})`); process.exit(code) }
    } else {
      say('renderer/vite.config.ts is missing: not building the UI')
    }
  }

  const electron = findElectronBinary()
  if ('path' in electron) {
    if (build) {
      const code = await runStep('compiling the core and the shell (tsc -p tsconfig.build.json)', NODE, [TSC, '-p', join(ROOT, 'tsconfig.build.json')])
      if (code !== 0) { say(`the TypeScript build failed (exit code ${code})`); process.exit(code) }
    }
    say('opening the desktop app')
    process.exit(await launchDesktop(electron.path, args))
    return
  }

  say(`no Electron binary installed (${electron.reason}), starting headless — open the URL below in a browser`)
  startHeadless(args)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2))
}
