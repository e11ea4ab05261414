// The local API's bearer token: random, made at first start, kept in <data-dir>/api-token (0600).
import { join } from 'node:path'
import { chmod } from 'node:fs/promises'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileIfExists, writeFileAtomic } from '../store/atomic-file.ts'
import { TOKEN_FILE } from './contract.ts'

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** The token in `<data-dir>/api-token`; a new one when it is missing, damaged, or `rotate` asks. */
export async function loadOrCreateApiToken (dataDir: string, options: { rotate?: boolean } = {}): Promise<string> {
  const path = join(dataDir, TOKEN_FILE)
  const existing = options.rotate === true ? undefined : (await readFileIfExists(path))?.toString('utf8').trim()
  if (existing !== undefined && TOKEN_SHAPE.test(existing)) {
    await chmod(path, 0o600)
    return existing
  }
  // Missing or damaged: a new token only costs open UI tabs a reload.
  const token = randomBytes(32).toString('base64url')
  await writeFileAtomic(path, token + '\n', 0o600)
  return token
}

export function tokensEqual (given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
