// Private shares: the file is encrypted before chunking (AES-256-CTR, a fresh random key per file, so a
// zero IV is safe), and only the link's fragment carries the key. Providers store and send ciphertext; its
// CID already authenticates it, and the link binds that CID to the key.
import { createCipheriv, createDecipheriv, randomBytes, type Decipher } from 'node:crypto'

const ALGORITHM = 'aes-256-ctr'
const IV = Buffer.alloc(16)

export function newShareKey (): string {
  return randomBytes(32).toString('base64url')
}

function keyBytes (key: string): Buffer {
  const bytes = Buffer.from(key, 'base64url')
  if (bytes.length !== 32) throw new Error('a share key is 32 bytes')
  return bytes
}

export async function * encrypting (source: AsyncIterable<Uint8Array>, key: string): AsyncGenerator<Uint8Array> {
  const cipher = createCipheriv(ALGORITHM, keyBytes(key), IV)
  for await (const chunk of source) yield cipher.update(chunk)
  const rest = cipher.final()
  if (rest.length > 0) yield rest
}

/** A transform stream turning a private share's stored bytes back into the file. */
export function decrypting (key: string): Decipher {
  return createDecipheriv(ALGORITHM, keyBytes(key), IV)
}
