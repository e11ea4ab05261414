// The contract with the core process, as pure functions: which flags it gets, which environment,
// how its stdout is split into lines, what its `ready` line must look like, and the UI URL made from
// it. No electron, no I/O — shared by main/core-process.ts (Electron) and scripts/start.ts (headless).
import { apiOriginOf } from './navigation-policy.ts'
import { ReadyLine, TOKEN_FILE, redactSecrets } from '../p2p/api/contract.ts'

/** The core's stdout is line-based; a line longer than this (bytes) is cut and reported, not buffered. */
export const MAX_STDOUT_LINE_LENGTH = 64 * 1024

/** How many of the core's last stderr lines an error dialog shows. */
export const STDERR_TAIL_LINES = 30

// ---- flags -----------------------------------------------------------------------------------

/** Flags of the desktop app that are passed on to the core, with whether they take a value. */
export const PASS_THROUGH_FLAGS: ReadonlyMap<string, { takesValue: boolean }> = new Map([
  ['--network', { takesValue: true }],
  ['--bootstrap', { takesValue: true }],
  ['--listen', { takesValue: true }],
  ['--no-mdns', { takesValue: false }],
  ['--chain', { takesValue: true }],
  ['--dht', { takesValue: true }],
  ['--downloads-dir', { takesValue: true }]
])

export interface DesktopArgs {
  /** Flags for the core, in the order given, each as `--flag value` or `--flag`. */
  coreFlags: string[]
  /** `--data-dir DIR`: a different profile (and single-instance lock) than the default one. */
  dataDir?: string
}

/**
 * Picks the flags meant for the core out of the desktop app's command line. Anything else —
 * Chromium switches, the app path `.` in development, unknown flags — is ignored, so it is never
 * given to the core. Accepts `--flag value` and `--flag=value`; a value flag without a value is
 * passed on without one, so the core reports the mistake in its own words.
 */
export function parseDesktopArgs (argv: readonly string[]): DesktopArgs {
  const coreFlags: string[] = []
  let dataDir: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') && eq > 2 ? arg.slice(0, eq) : arg
    const inline = name === arg ? undefined : arg.slice(eq + 1)
    let value = inline
    const takeNext = (): string | undefined => {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--')) return undefined
      i++
      return next
    }
    if (name === '--data-dir') {
      value ??= takeNext()
      if (value !== undefined && value !== '') dataDir = value
      continue
    }
    const spec = PASS_THROUGH_FLAGS.get(name)
    if (spec === undefined) continue
    if (!spec.takesValue) {
      if (inline === undefined) coreFlags.push(name)
      continue
    }
    value ??= takeNext()
    coreFlags.push(name)
    if (value !== undefined) coreFlags.push(value)
  }
  return dataDir === undefined ? { coreFlags } : { coreFlags, dataDir }
}

/** The core's full argument list in Electron: headless, our data dir, any free API port, then the user's flags. */
export function buildCoreArgs (dataDir: string, coreFlags: readonly string[]): string[] {
  return ['--headless', '--data-dir', dataDir, '--api-port', '0', ...coreFlags]
}

// ---- environment -----------------------------------------------------------------------------

/**
 * Variables never passed to the core: each would change what code runs inside it or how.
 * ELECTRON_RUN_AS_NODE / ELECTRON_NO_ASAR change how Electron's binary and asar behave;
 * NODE_OPTIONS can `--require`/`--import` arbitrary code, NODE_PATH / NODE_REPL_EXTERNAL_MODULE
 * change module loading; LD_PRELOAD / DYLD_INSERT_LIBRARIES / DYLD_LIBRARY_PATH inject native
 * libraries. (VS Code strips the same kind before starting its utility processes.)
 */
export const DANGEROUS_ENV_VARS: readonly string[] = [
  'ELECTRON_RUN_AS_NODE',
  'ELECTRON_NO_ASAR',
  'ELECTRON_NO_ATTACH_CONSOLE',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_REPL_EXTERNAL_MODULE',
  'NODE_V8_COVERAGE',
  'LD_PRELOAD',
  'DYLD_INSERT_LIBRARIES',
  'DYLD_LIBRARY_PATH',
  'DYLD_FRAMEWORK_PATH'
]

const DANGEROUS = new Set(DANGEROUS_ENV_VARS.map(name => name.toUpperCase()))

/**
 * A copy of `env` without the dangerous variables (compared case-insensitively: Windows names are)
 * and without undefined values. `env` itself is not changed.
 */
export function sanitizeCoreEnv (env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || DANGEROUS.has(name.toUpperCase())) continue
    out[name] = value
  }
  return out
}

// ---- stdout lines ----------------------------------------------------------------------------

/**
 * Splits a byte or text stream into lines (LF or CRLF), decoding UTF-8 across chunk borders.
 * A line longer than `maxLength` characters is returned cut to that length, flagged, and the
 * rest of it up to the next newline is dropped — a misbehaving child cannot grow our memory.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8')
  private readonly maxLength: number
  private buffer = ''
  /** True after a cut line was returned, until its newline: the rest of it is dropped. */
  private discarding = false

  constructor (maxLength = MAX_STDOUT_LINE_LENGTH) {
    this.maxLength = maxLength
  }

  /** Feeds a chunk; returns the complete lines it finished. */
  push (chunk: Uint8Array | string): SplitLine[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true })
    const out: SplitLine[] = []
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (!this.discarding) {
        this.buffer += nl === -1 ? text.slice(start) : text.slice(start, nl)
        if (this.buffer.length > this.maxLength) {
          out.push({ line: this.buffer.slice(0, this.maxLength), truncated: true })
          this.buffer = ''
          this.discarding = true
        }
      }
      if (nl === -1) break
      if (this.discarding) {
        this.discarding = false
      } else {
        out.push({ line: stripCr(this.buffer), truncated: false })
        this.buffer = ''
      }
      start = nl + 1
    }
    return out
  }

  /** Ends the stream: returns the last line if it had no newline. */
  end (): SplitLine[] {
    const tail = this.decoder.decode()
    const rest = this.discarding ? '' : this.buffer + tail
    this.buffer = ''
    this.discarding = false
    return rest === '' ? [] : [{ line: stripCr(rest), truncated: false }]
  }
}

export interface SplitLine {
  line: string
  /** The line was longer than the limit and was cut; the rest of it was dropped. */
  truncated: boolean
}

function stripCr (line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}

// ---- the ready line --------------------------------------------------------------------------

/** The core's ready line (its shape is the core's: p2p/api/contract.ts), with the API's origin. */
export interface CoreReady extends ReadyLine {
  /** `new URL(api).origin`: what navigation and IPC checks compare against. */
  apiOrigin: string
}

/** A stdout line that says it is the ready line but is not a valid one. */
export class ReadyLineError extends Error {
  override name = 'ReadyLineError'
}

/**
 * Reads one stdout line of the core. Returns the ready event if the line is one, `undefined` for
 * any other line (log output, other events), and throws ReadyLineError for a line whose `event`
 * is "ready" but whose fields are missing or wrong — the core broke the contract.
 */
export function parseReadyLine (line: string): CoreReady | undefined {
  const trimmed = line.trim()
  if (!trimmed.startsWith('{')) return undefined
  let value: unknown
  try {
    value = JSON.parse(trimmed)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || !('event' in value) || value.event !== 'ready') return undefined
  const parsed = ReadyLine.safeParse(value)
  if (!parsed.success) {
    throw new ReadyLineError(`ready line: ${parsed.error.issues.map(i => `"${i.path.join('.')}" ${i.message}`).join('; ')}`)
  }
  const apiOrigin = apiOriginOf(parsed.data.api)
  if (apiOrigin === undefined) {
    throw new ReadyLineError(`ready line: "api" must be http://127.0.0.1:PORT, got ${JSON.stringify(parsed.data.api)}`)
  }
  return { ...parsed.data, apiOrigin }
}

// ---- token and UI URL ------------------------------------------------------------------------

/** The API token file's name inside the data dir: the core's. */
export const API_TOKEN_FILE = TOKEN_FILE

/** Reads the token file's text: base64url (no padding needed), trimmed. Throws if it isn't one. */
export function parseApiToken (text: string): string {
  const token = text.trim()
  if (!/^[A-Za-z0-9_-]{16,512}={0,2}$/.test(token)) {
    throw new Error('the API token file does not hold a base64url token')
  }
  return token
}

/** Log lines and error dialogs never carry the API token: the core's own rule, shared. */
export { redactSecrets }

/**
 * The UI's URL: the API origin's root, with the token in the fragment (never sent to a server), and
 * optionally a view to open (`&view=files`; the renderer takes both and scrubs them).
 */
export function uiUrl (apiOrigin: string, token: string, view?: string, link?: string): string {
  return `${apiOrigin}/#token=${encodeURIComponent(token)}${view === undefined ? '' : `&view=${encodeURIComponent(view)}`}${link === undefined ? '' : `&link=${encodeURIComponent(link)}`}`
}
