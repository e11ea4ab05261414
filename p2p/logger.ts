// Human-readable diagnostics: to stderr and <data-dir>/tidepool.log. Stdout is reserved for the ready line.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'

export const LOG_FILE = 'tidepool.log'

export interface Logger {
  info: (line: string) => void
  error: (line: string) => void
  close: () => Promise<void>
}

export function createLogger (dataDir: string, options: { stderr?: boolean } = {}): Logger {
  mkdirSync(dataDir, { recursive: true })
  const file: WriteStream = createWriteStream(join(dataDir, LOG_FILE), { flags: 'a', mode: 0o600 })
  file.on('error', () => { /* a full disk must not take the peer down with it */ })
  const write = (level: string, line: string): void => {
    const text = `${new Date().toISOString()} ${level} ${line}\n`
    file.write(text)
    if (options.stderr !== false) process.stderr.write(text)
  }
  return {
    info: line => { write('info', line) },
    error: line => { write('error', line) },
    close: async () => await new Promise<void>(resolve => file.end(resolve))
  }
}
