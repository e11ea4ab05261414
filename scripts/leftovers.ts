// Tests must clean up after themselves, even when they fail: every process, port and temp dir they made.
// npm test runs each node test step with its own TMPDIR (every peer's data dir and temp file lives
// under it), then names what is left there — temp entries, and processes whose command line points into
// it — as the step's failure, and clears them so the next step starts clean.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Node's own module compile cache (npm turns it on), kept in TMPDIR: not something a test left. */
const NODE_COMPILE_CACHE = 'node-compile-cache'

export interface PrivateTmp {
  dir: string
  /** What the step left behind (empty when it cleaned up), after killing and removing it. */
  leftovers: () => string[]
}

export function privateTmp (label: string): PrivateTmp {
  const dir = mkdtempSync(join(tmpdir(), `tidepool-${label.replace(/\W+/g, '-')}-`))
  return {
    dir,
    leftovers () {
      const found: string[] = []
      for (const { pid, command } of processesUnder(dir)) {
        found.push(`process ${pid}: ${command.slice(0, 160)}`)
        try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ }
      }
      for (const entry of readdirSync(dir)) if (entry !== NODE_COMPILE_CACHE) found.push(`temp entry ${join(dir, entry)}`)
      rmSync(dir, { recursive: true, force: true })
      return found
    }
  }
}

function processesUnder (dir: string): Array<{ pid: number, command: string }> {
  let table: string
  try {
    table = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
  } catch {
    return [] // no ps here: temp entries still show what was left
  }
  return table.split('\n').flatMap(line => {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line)
    return match !== null && match[2]!.includes(dir) && Number(match[1]) !== process.pid ? [{ pid: Number(match[1]), command: match[2]! }] : []
  })
}
