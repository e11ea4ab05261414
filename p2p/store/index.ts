// The peer's on-disk store. libp2p's datastore (peers, their addresses and tags, DHT records) is one
// LevelDB under <data-dir>/libp2p; later capabilities open their own namespaces under <data-dir>/store.
import { join } from 'node:path'
import { mkdir } from 'node:fs/promises'
import { LevelDatastore } from 'datastore-level'

export const LIBP2P_DATASTORE_DIR = 'libp2p'

export class StoreOpenError extends Error {
  override name = 'StoreOpenError'
}

export async function openLibp2pDatastore (dataDir: string): Promise<LevelDatastore> {
  const path = join(dataDir, LIBP2P_DATASTORE_DIR)
  await mkdir(path, { recursive: true })
  const datastore = new LevelDatastore(path)
  try {
    await datastore.open()
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? ''
    throw new StoreOpenError(`cannot open the peer database at ${path}: ${(err as Error).message} ${cause}`.trim() +
      ' (is another Tidepool running on this data dir?)')
  }
  return datastore
}
