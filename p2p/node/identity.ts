// The peer's Ed25519 identity: made once, kept in <data-dir>/identity.key (0600), so the peer id survives restarts.
import { join } from 'node:path'
import { chmod } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { readFileIfExists, writeFileAtomic } from '../store/atomic-file.ts'

export const IDENTITY_FILE = 'identity.key'

export class CorruptIdentityError extends Error {
  override name = 'CorruptIdentityError'
}

export async function loadOrCreateIdentity (dataDir: string): Promise<PrivateKey> {
  const path = join(dataDir, IDENTITY_FILE)
  const bytes = await readFileIfExists(path)
  if (bytes !== undefined) {
    let key: PrivateKey
    try {
      key = privateKeyFromProtobuf(bytes)
    } catch (err) {
      // Never replace it silently: a new key is a new peer id, and every peer that knew us would lose us.
      throw new CorruptIdentityError(`${path} is not a valid private key (${(err as Error).message}); move it away to start with a new identity`)
    }
    if (key.type !== 'Ed25519') throw new CorruptIdentityError(`${path} holds a ${key.type} key; Tidepool identities are Ed25519`)
    await chmod(path, 0o600)
    return key
  }
  const key = await generateKeyPair('Ed25519')
  await writeFileAtomic(path, privateKeyToProtobuf(key), 0o600)
  return key
}
