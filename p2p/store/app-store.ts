// The app database: one LevelDB at <data-dir>/store, a sublevel per capability. A batch across
// sublevels of this one database is atomic (LevelDB's write-ahead log), which the ledger relies on.
import { join } from 'node:path'
import { mkdir } from 'node:fs/promises'
import { Level } from 'level'
import { StoreOpenError } from './index.ts'

export const APP_STORE_DIR = 'store'

export async function openAppStore (dataDir: string): Promise<Level<string, Uint8Array>> {
  const path = join(dataDir, APP_STORE_DIR)
  await mkdir(path, { recursive: true })
  const db = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' })
  try {
    await db.open()
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? ''
    throw new StoreOpenError(`cannot open the app database at ${path}: ${(err as Error).message} ${cause}`.trim())
  }
  return db
}
