import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CorruptIdentityError, IDENTITY_FILE, loadOrCreateIdentity } from '../../p2p/node/identity.ts'
import { loadOrCreateApiToken } from '../../p2p/api/token.ts'
import { TOKEN_FILE } from '../../p2p/api/contract.ts'
import { makeTempDir } from '../support/cleanup.ts'

const fresh = async (): Promise<string> => await makeTempDir('tidepool-identity-')

test('an Ed25519 identity is made once, kept with mode 0600, and the same after reloading', async () => {
  const dir = await fresh()
  const first = await loadOrCreateIdentity(dir)
  assert.equal(first.type, 'Ed25519')
  assert.equal((await stat(join(dir, IDENTITY_FILE))).mode & 0o777, 0o600)
  const again = await loadOrCreateIdentity(dir)
  assert.equal(peerIdFromPrivateKey(again).toString(), peerIdFromPrivateKey(first).toString())
})

test('a corrupt identity file is refused with a clear error and left in place', async () => {
  const dir = await fresh()
  await writeFile(join(dir, IDENTITY_FILE), 'not a key')
  await assert.rejects(loadOrCreateIdentity(dir), (err: unknown) => err instanceof CorruptIdentityError && /move it away/.test((err as Error).message))
  assert.equal(await readFile(join(dir, IDENTITY_FILE), 'utf8'), 'not a key')
})

test('the API token is random, 0600, and stable across restarts; a damaged one is replaced', async () => {
  const dir = await fresh()
  const token = await loadOrCreateApiToken(dir)
  assert.match(token, /^[A-Za-z0-9_-]{43}$/)
  assert.equal((await stat(join(dir, TOKEN_FILE))).mode & 0o777, 0o600)
  assert.equal(await loadOrCreateApiToken(dir), token)
  assert.notEqual(await loadOrCreateApiToken(await fresh()), token)
  await writeFile(join(dir, TOKEN_FILE), 'short')
  assert.match(await loadOrCreateApiToken(dir), /^[A-Za-z0-9_-]{43}$/)
})
