// Human-readable diagnostics: to stderr and <data-dir>/tidepool.log. Stdout is reserved for the ready line.
// The file rotates by size (tidepool.log → .1 → … → .N, the oldest dropped), so no peer can grow it
// without bound, and lines are scrubbed of bearer tokens, which must never sit in a shared log.
import { createWriteStream, mkdirSync, openSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { redactSecrets } from './api/contract.ts'

export const LOG_FILE = 'tidepool.log'
/** tidepool.log is rotated once it passes this many bytes. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024
/** Rotated files kept beside it (tidepool.log.1 … .N). */
export const LOG_KEEP_FILES = 3

export interface Logger {
  info: (line: string) => void
  error: (line: string) => void
  close: () => Promise<void>
}

export interface LoggerOptions {
  stderr?: boolean
  maxBytes?: number
  keepFiles?: number
}

export function createLogger (dataDir: string, options: LoggerOptions = {}): Logger {
  const maxBytes = options.maxBytes ?? LOG_MAX_BYTES
  const keepFiles = options.keepFiles ?? LOG_KEEP_FILES
  const path = join(dataDir, LOG_FILE)
  mkdirSync(dataDir, { recursive: true })

  // Opened synchronously, so the file exists (and can be renamed) from the first line on.
  const open = (): WriteStream => {
    const stream = createWriteStream(path, { fd: openSync(path, 'a', 0o600) })
    stream.on('error', () => { /* a full disk must not take the peer down with it */ })
    return stream
  }
  let file = open()
  let size = 0
  try { size = statSync(path).size } catch {}

  // The old stream keeps its file descriptor, so lines still queued on it land in the renamed file.
  const rotate = (): void => {
    file.end()
    try {
      rmSync(`${path}.${keepFiles}`, { force: true })
      for (let i = keepFiles - 1; i >= 1; i--) {
        try { renameSync(`${path}.${i}`, `${path}.${i + 1}`) } catch {}
      }
      renameSync(path, `${path}.1`)
    } catch { /* best effort (a file held open elsewhere on Windows): writing goes on in the same file */ }
    try { file = open() } catch { /* keep writing to the renamed file rather than fail the caller */ }
    size = 0
  }

  const write = (level: string, line: string): void => {
    const text = `${new Date().toISOString()} ${level} ${redactSecrets(line)}\n`
    const bytes = Buffer.byteLength(text)
    if (size > 0 && size + bytes > maxBytes) rotate()
    size += bytes
    file.write(text)
    if (options.stderr !== false) process.stderr.write(text)
  }
  return {
    info: line => { write('info', line) },
    error: line => { write('error', line) },
    close: async () => await new Promise<void>(resolve => file.end(resolve))
  }
}
