// The app database: one LevelDB at <data-dir>/store, a sublevel per capability. A batch across
// sublevels of this one database is atomic (LevelDB's write-ahead log), which the ledger relies on.
import { join } from 'node:path'
import { mkdir } from 'node:fs/promises'
import type { AbstractLevel } from 'abstract-level'
import { RecoveringLevel } from './recovering-level.ts'
import { storeOpenError } from './errors.ts'

export const APP_STORE_DIR = 'store'

/** What the parts are handed: string keys, byte values, a sublevel each (a plain Level in unit tests). */
export type AppDatabase = AbstractLevel<string | Uint8Array, string, Uint8Array>

/** A part's own sublevel of the app database: string keys, byte values. */
export type AppSublevel = ReturnType<AppDatabase['sublevel']>

/** The sublevel `name`; the one place its typing is widened to what the parts store through. */
export function appSublevel (db: AppDatabase, name: string): AppSublevel {
  return db.sublevel<string, Uint8Array>(name, { valueEncoding: 'view' }) as unknown as AppSublevel
}

export async function openAppStore (dataDir: string): Promise<AppDatabase> {
  const path = join(dataDir, APP_STORE_DIR)
  await mkdir(path, { recursive: true })
  const db = new RecoveringLevel(path)
  try {
    await db.open()
  } catch (err) {
    throw storeOpenError('the app database', path, err)
  }
  return db
}
