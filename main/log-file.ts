// The desktop app's log: the core's stderr (secrets redacted) and main's own notes, one line each,
// appended to `<logs>/desktop.log` (app.getPath('logs'); the previous one is kept as `.1` once it
// passes MAX_LOG_BYTES) and echoed to main's stderr for `npm start`. No electron. (The core keeps
// its own `<data-dir>/tidepool.log` as well.)
import { createWriteStream, mkdirSync, renameSync, statSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'

/** A log file past this size (bytes) at start is moved to `.1`, replacing the previous one. */
export const MAX_LOG_BYTES = 5 * 1024 * 1024

export interface LogFile {
  readonly path: string
  write (line: string): void
  close (): Promise<void>
}

export function openLogFile (dir: string, name = 'desktop.log', echo: (line: string) => void = line => { process.stderr.write(line + '\n') }): LogFile {
  const path = join(dir, name)
  let stream: WriteStream | undefined
  try {
    mkdirSync(dir, { recursive: true })
    try {
      if (statSync(path).size > MAX_LOG_BYTES) renameSync(path, `${path}.1`)
    } catch {}
    stream = createWriteStream(path, { flags: 'a', mode: 0o600 })
    stream.on('error', (err) => {
      echo(`tidepool: cannot write the log ${path}: ${err.message}`)
      stream = undefined
    })
  } catch (err) {
    echo(`tidepool: cannot open the log ${path}: ${(err as Error).message}`)
  }
  return {
    path,
    write (line) {
      const stamped = `${new Date().toISOString()} ${line}`
      stream?.write(stamped + '\n')
      echo(line)
    },
    close () {
      return new Promise(resolve => {
        if (stream === undefined) { resolve(); return }
        stream.end(() => { resolve() })
        stream = undefined
      })
    }
  }
}
