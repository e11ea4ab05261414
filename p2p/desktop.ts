// Finding the Electron binary (the optional `electron` package) without importing Electron into the core.
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface ElectronBinary {
  path?: string
  reason: string
  launch: (args: string[]) => Promise<number>
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export function findElectronBinary (): ElectronBinary {
  let path: string | undefined
  let reason = ''
  try {
    // The electron package's main export is the path of its binary.
    const resolved: unknown = createRequire(import.meta.url)('electron')
    if (typeof resolved === 'string' && existsSync(resolved)) path = resolved
    else reason = 'the electron package is installed but its binary is missing'
  } catch {
    reason = 'the optional electron package is not installed'
  }
  return {
    path,
    reason,
    launch: async (args: string[]) => await new Promise<number>((resolve, reject) => {
      if (path === undefined) { reject(new Error(reason)); return }
      const child = spawn(path, [join(root, 'dist', 'main', 'main.js'), ...args], { stdio: 'inherit' })
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
      child.on('error', reject)
      child.on('exit', code => { resolve(code ?? 1) })
    })
  }
}
