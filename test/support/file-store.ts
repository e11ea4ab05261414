// A FileStore on its own LevelDB in a fresh temp folder, for tests of the files capability's disk side.
import { join } from 'node:path'
import { Level } from 'level'
import { FileStore } from '../../p2p/files/store.ts'
import { makeTempDir } from './cleanup.ts'

/** The caller closes db. */
export async function openTempFileStore (prefix = 'tidepool-files-store-'): Promise<{ store: FileStore, db: Level<string, Uint8Array>, dir: string }> {
  const dir = await makeTempDir(prefix)
  const db = new Level<string, Uint8Array>(join(dir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const store = new FileStore(dir, db)
  await store.open()
  return { store, db, dir }
}
