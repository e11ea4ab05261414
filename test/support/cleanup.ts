// What a test file makes, it unmakes — even when a test fails or throws before its own cleanup: temp
// dirs made here and child processes handed here are removed and killed when the test process exits.
// (npm test also checks that nothing is left under its TMPDIR after each step: scripts/leftovers.ts.)
import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dirs = new Set<string>()
const children = new Set<ChildProcess>()

process.once('exit', () => {
  for (const child of children) {
    try { child.kill('SIGKILL') } catch { /* already gone */ }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temp dir, removed when this test process exits. */
export async function makeTempDir (prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  dirs.add(dir)
  return dir
}

/** A child process killed when this test process exits, if it has not exited by then. */
export function ownChild<C extends ChildProcess> (child: C): C {
  children.add(child)
  child.once('exit', () => { children.delete(child) })
  return child
}
