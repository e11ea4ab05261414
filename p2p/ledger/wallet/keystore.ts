// The wallet's key in <data-dir>/ledger-wallet.json (0600, replaced whole by an atomic rename): its own
// Schnorr key, never the libp2p identity. With a passphrase the secret key is sealed with AES-256-GCM
// under a scrypt-derived key; the public part stays readable so address and balance show while locked.
// A file rather than LevelDB because LevelDB keeps overwritten values in its log and tables, which
// would leave the unsealed key on disk after a passphrase is set.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto'
import { promisify } from 'node:util'
import { z } from 'zod'
import { newSecretKey, publicKeyOf, pubKeyHash } from '../rules/address.ts'
import { toHex } from '../rules/codec.ts'
import { join } from 'node:path'
import { readFileIfExists, writeFileAtomic } from '../../store/atomic-file.ts'
import { CodedError } from '../../coded-error.ts'

export const WALLET_FILE = 'ledger-wallet.json'
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }

export type WalletErrorCode = 'locked' | 'wrong-passphrase' | 'insufficient-funds' | 'bad-amount' | 'bad-address'

export class WalletError extends CodedError<WalletErrorCode> {
  override name = 'WalletError'
}

const Hex = z.string().regex(/^([0-9a-f]{2})+$/)
const Sealed = z.object({ salt: Hex, iv: Hex, tag: Hex, data: Hex })
const StoredKey = z.object({ publicKey: Hex.length(64), secret: z.union([z.object({ plain: Hex.length(64) }), z.object({ sealed: Sealed })]) })
type Sealed = z.infer<typeof Sealed>
type StoredKey = z.infer<typeof StoredKey>

async function deriveKey (passphrase: string, salt: Buffer): Promise<Buffer> {
  return await scryptAsync(passphrase, salt, 32, SCRYPT)
}

async function seal (secret: Uint8Array, passphrase: string): Promise<Sealed> {
  const salt = randomBytes(16)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv)
  const data = Buffer.concat([cipher.update(secret), cipher.final()])
  return { salt: salt.toString('hex'), iv: iv.toString('hex'), tag: cipher.getAuthTag().toString('hex'), data: data.toString('hex') }
}

async function unseal (sealed: Sealed, passphrase: string): Promise<Uint8Array> {
  const decipher = createDecipheriv('aes-256-gcm', await deriveKey(passphrase, Buffer.from(sealed.salt, 'hex')), Buffer.from(sealed.iv, 'hex'))
  decipher.setAuthTag(Buffer.from(sealed.tag, 'hex'))
  try {
    return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(sealed.data, 'hex')), decipher.final()]))
  } catch {
    throw new WalletError('wrong-passphrase', 'the passphrase does not open this wallet')
  }
}

export class Keystore {
  private readonly path: string
  private stored: StoredKey
  /** The secret key while unlocked (always, without a passphrase). */
  private secret: Uint8Array | undefined

  private constructor (path: string, stored: StoredKey, secret: Uint8Array | undefined) {
    this.path = path
    this.stored = stored
    this.secret = secret
  }

  /** Opens the wallet's key in `dataDir`, creating one on first use. */
  static async open (dataDir: string): Promise<Keystore> {
    const path = join(dataDir, WALLET_FILE)
    const bytes = await readFileIfExists(path)
    if (bytes !== undefined) {
      const stored = StoredKey.parse(JSON.parse(bytes.toString('utf8')))
      return new Keystore(path, stored, 'plain' in stored.secret ? Buffer.from(stored.secret.plain, 'hex') : undefined)
    }
    const secret = newSecretKey()
    const stored: StoredKey = { publicKey: toHex(publicKeyOf(secret)), secret: { plain: toHex(secret) } }
    await writeFileAtomic(path, JSON.stringify(stored))
    return new Keystore(path, stored, secret)
  }

  get pkh (): string {
    return pubKeyHash(Buffer.from(this.stored.publicKey, 'hex'))
  }

  get encrypted (): boolean {
    return 'sealed' in this.stored.secret
  }

  get locked (): boolean {
    return this.secret === undefined
  }

  secretKey (): Uint8Array {
    if (this.secret === undefined) throw new WalletError('locked', 'the wallet is locked: unlock it with its passphrase first')
    return this.secret
  }

  async unlock (passphrase: string): Promise<void> {
    if (!('sealed' in this.stored.secret)) return
    this.secret = await unseal(this.stored.secret.sealed, passphrase)
  }

  lock (): void {
    if (this.encrypted) this.secret = undefined
  }

  /** Seals the key under a new passphrase (the old one needed if there is one); '' removes it. */
  async setPassphrase (passphrase: string, current?: string): Promise<void> {
    const secret = 'sealed' in this.stored.secret ? await unseal(this.stored.secret.sealed, current ?? '') : this.secretKey()
    const stored: StoredKey = { publicKey: this.stored.publicKey, secret: passphrase === '' ? { plain: toHex(secret) } : { sealed: await seal(secret, passphrase) } }
    await writeFileAtomic(this.path, JSON.stringify(stored))
    this.stored = stored
    this.secret = secret
  }
}
