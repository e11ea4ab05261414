// Finding and opening the Electron binary (the optional `electron` package) without importing
// Electron into the core: `tidepool` without --headless and `npm start` both come through here.
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The Electron binary, or why there is none. The electron package's main export is its binary's path. */
export function findElectronBinary (): { path: string } | { reason: string } {
  let resolved: unknown
  try {
    resolved = createRequire(join(ROOT, 'package.json'))('electron')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { reason: code === 'MODULE_NOT_FOUND' ? 'the optional `electron` package is not installed' : `the \`electron\` package is broken: ${(err as Error).message}` }
  }
  if (typeof resolved !== 'string') return { reason: 'the `electron` package did not give a binary path' }
  if (!existsSync(resolved)) return { reason: `the Electron binary ${resolved} does not exist` }
  return { path: resolved }
}

/** Opens the desktop app (package.json "main": dist/main/main.js) and resolves to its exit code. */
export async function launchDesktop (electronPath: string, args: string[]): Promise<number> {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  const child = spawn(electronPath, [ROOT, ...args], { cwd: ROOT, stdio: 'inherit', env })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  return await new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', code => { resolve(code ?? 1) })
  })
}
