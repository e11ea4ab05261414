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

// Children first, as soon as the file's tests are done: a child left running (a peer whose start
// raced a failing one in Promise.all, so no after hook knew it) holds this process open through its pipes.
// Only under the test runner: a bench or the chaos campaign importing these helpers would otherwise
// start node:test's reporter.
if (process.env.NODE_TEST_CONTEXT !== undefined) {
  const { after } = await import('node:test')
  after(() => {
    for (const child of children) {
      try { child.kill('SIGKILL') } catch { /* already gone */ }
    }
  })
}

process.once('exit', () => {
  for (const child of children) {
    try { child.kill('SIGKILL') } catch { /* already gone */ }
  }
  // KEEP_TEST_DIRS=1 keeps them (peers' logs included) to see what a failed test did.
  if (process.env.KEEP_TEST_DIRS === undefined) for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
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
