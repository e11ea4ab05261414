// Which paths the renderer may have main open or show: only finished downloads the core's library
// names as `saved` (FileEntry.saved). A page that went wrong cannot make the OS open or reveal any other
// file. Pure: the library listing comes in as the core answered it, and is checked here.
import type { PlatformPath } from 'node:path'
import { z } from 'zod'
import { FileEntry } from '../p2p/files/api.ts'

const SavedOnly = FileEntry.pick({ saved: true, state: true })

/** Whether `path` (already normalized) is the saved copy of a complete entry of the `listing` (GET /api/files). */
export function isSavedFile (listing: unknown, path: string, paths: Pick<PlatformPath, 'normalize'>): boolean {
  const entries = z.array(z.unknown()).safeParse(listing)
  if (!entries.success) return false
  return entries.data.some(item => {
    const entry = SavedOnly.safeParse(item)
    return entry.success && entry.data.state === 'complete' && entry.data.saved !== null && paths.normalize(entry.data.saved) === path
  })
}
