// The peer's on-disk store. libp2p's datastore (peers, their addresses and tags, DHT records) is one
// LevelDB under <data-dir>/libp2p; later capabilities open their own namespaces under <data-dir>/store.
import { join } from 'node:path'
import { mkdir } from 'node:fs/promises'
import { LevelDatastore } from 'datastore-level'
import type { Level } from 'level'
import { RecoveringLevel } from './recovering-level.ts'
import { storeOpenError } from './errors.ts'

export { StoreError, StoreOpenError, type StoreErrorCode } from './errors.ts'

export const LIBP2P_DATASTORE_DIR = 'libp2p'

export async function openLibp2pDatastore (dataDir: string): Promise<LevelDatastore> {
  const path = join(dataDir, LIBP2P_DATASTORE_DIR)
  await mkdir(path, { recursive: true })
  const db = new RecoveringLevel(path)
  // Opened here, not by the datastore, which keeps only the text of an error: the cause's code picks the hint.
  try {
    await db.open({ createIfMissing: true, compression: false } as { createIfMissing: boolean })
  } catch (err) {
    throw storeOpenError('the peer database', path, err)
  }
  // datastore-level types its database as `level`'s older declaration; it uses only abstract-level's methods.
  const datastore = new LevelDatastore(db as unknown as Level<string, Uint8Array>)
  await datastore.open()
  return datastore
}
