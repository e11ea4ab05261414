// A small tmpfs to run out of disk on, for real: mounted in a temp dir (root only), filled by a file
// that grows until ENOSPC, unmounted when the test process exits even if a test threw first (lazily: a
// database a failed test left open must not keep the mount, or the temp dir, behind).
import { execFileSync } from 'node:child_process'
import { open, rm, truncate, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir } from './cleanup.ts'

export interface Tmpfs {
  dir: string
  /** Fills the disk with one file, then gives back `leaveBytes` of it. */
  fill: (leaveBytes?: number) => Promise<void>
  /** Removes the filler: the disk has room again. */
  free: () => Promise<void>
  unmount: () => void
}

/** Why a tmpfs can't be mounted here, or undefined when it can. */
export function tmpfsUnavailableReason (): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs is Linux only'
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root'
  return undefined
}

/** What node:test prints for a test that can't run here. */
export const TMPFS_SKIP = tmpfsUnavailableReason() === undefined ? false : 'skipped: needs root (mounts a tmpfs)'

const mounted = new Set<string>()
// Before cleanup.ts removes the temp dirs: a mount point still mounted would not go.
process.prependOnceListener('exit', () => { for (const dir of mounted) unmountQuietly(dir) })

function unmountQuietly (dir: string): void {
  try { execFileSync('umount', ['--lazy', dir], { stdio: 'ignore' }) } catch { /* already gone */ }
  mounted.delete(dir)
}

export async function mountTmpfs (sizeMiB: number): Promise<Tmpfs> {
  const dir = await makeTempDir('tidepool-tmpfs-')
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tidepool-test', dir])
  mounted.add(dir)
  const filler = join(dir, 'filler')
  return {
    dir,
    fill: async (leaveBytes = 0) => {
      const file = await open(filler, 'a')
      const chunk = Buffer.alloc(64 * 1024)
      try {
        for (;;) await file.write(chunk)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      } finally {
        await file.close()
      }
      // Whatever single bytes are left after 64 KiB writes stopped, then the share given back.
      const tail = await open(filler, 'a')
      try { for (;;) await tail.write(Buffer.alloc(1)) } catch { /* full to the last byte */ } finally { await tail.close() }
      if (leaveBytes > 0) await truncate(filler, Math.max(0, (await stat(filler)).size - leaveBytes))
    },
    free: async () => { await rm(filler, { force: true }) },
    unmount: () => { unmountQuietly(dir) }
  }
}
