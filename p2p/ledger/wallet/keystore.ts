// The wallet's key in <data-dir>/ledger-wallet.json (0600, replaced whole by an atomic rename): its own
// Ed25519 key, never the libp2p identity. With a passphrase the secret key is sealed with AES-256-GCM
// under a scrypt-derived key; the public part stays readable so address and balance show while locked.
// A file rather than LevelDB because LevelDB keeps overwritten values in its log and tables, which
// would leave the unsealed key on disk after a passphrase is set.
//
// A wallet of the Schnorr chains (a file without `scheme`) keeps its 32-byte secret, which becomes the
// Ed25519 seed of the new chain's key (RFC 8032 hashes the seed, so the new scalar owes nothing to the old
// secp256k1 one); the old public key is kept as `schnorrPublicKey`, so the old address still shows and the
// secret still controls the old coins on the old chain. An unsealed file is rewritten at once; a sealed one
// at its first unlock — until then the new public key is unknown, and the wallet has no address here.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto'
import { promisify } from 'node:util'
import { z } from 'zod'
import { newSecretKey, publicKeyOf, pubKeyHash } from '../rules/address.ts'
import { SIGNATURE_SCHEME } from '../rules/params.ts'
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
const Secret = z.union([z.object({ plain: Hex.length(64) }), z.object({ sealed: Sealed })])
const StoredKey = z.object({ scheme: z.literal(SIGNATURE_SCHEME), publicKey: Hex.length(64), secret: Secret, schnorrPublicKey: Hex.length(64).optional() })
/** The file as the Schnorr chains wrote it; strict, so a file of another scheme is never taken for one. */
const SchnorrStoredKey = z.object({ publicKey: Hex.length(64), secret: Secret }).strict()
type Sealed = z.infer<typeof Sealed>
type StoredKey = z.infer<typeof StoredKey>
type SchnorrStoredKey = z.infer<typeof SchnorrStoredKey>

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

/** The new chain's file for a Schnorr-era one, given its secret: the same secret, the new public key, the old one kept. */
function upgraded (old: SchnorrStoredKey, secret: Uint8Array): StoredKey {
  return { scheme: SIGNATURE_SCHEME, publicKey: toHex(publicKeyOf(secret)), secret: old.secret, schnorrPublicKey: old.publicKey }
}

export class Keystore {
  private readonly path: string
  /** A Schnorr-era sealed file waits here for the passphrase that lets its upgrade finish. */
  private stored: StoredKey | SchnorrStoredKey
  /** The secret key while unlocked (always, without a passphrase). */
  private secret: Uint8Array | undefined

  private constructor (path: string, stored: StoredKey | SchnorrStoredKey, secret: Uint8Array | undefined) {
    this.path = path
    this.stored = stored
    this.secret = secret
  }

  /** Opens the wallet's key in `dataDir`, creating one on first use, upgrading a Schnorr-era one (see above). */
  static async open (dataDir: string): Promise<Keystore> {
    const path = join(dataDir, WALLET_FILE)
    const bytes = await readFileIfExists(path)
    if (bytes !== undefined) {
      const json: unknown = JSON.parse(bytes.toString('utf8'))
      const current = StoredKey.safeParse(json)
      const stored = current.success ? current.data : SchnorrStoredKey.parse(json)
      const secret = 'plain' in stored.secret ? Buffer.from(stored.secret.plain, 'hex') : undefined
      const keys = new Keystore(path, stored, secret)
      if (secret !== undefined) await keys.finishUpgrade(secret)
      return keys
    }
    const secret = newSecretKey()
    const stored: StoredKey = { scheme: SIGNATURE_SCHEME, publicKey: toHex(publicKeyOf(secret)), secret: { plain: toHex(secret) } }
    await writeFileAtomic(path, JSON.stringify(stored))
    return new Keystore(path, stored, secret)
  }

  /** Rewrites a Schnorr-era file for the new chain once its secret is known; returns the current form. */
  private async finishUpgrade (secret: Uint8Array): Promise<StoredKey> {
    if ('scheme' in this.stored) return this.stored
    const stored = upgraded(this.stored, secret)
    await writeFileAtomic(this.path, JSON.stringify(stored))
    this.stored = stored
    return stored
  }

  /** The key hash this chain pays the wallet at; undefined while a sealed Schnorr-era key awaits its first unlock. */
  get pkh (): string | undefined {
    return 'scheme' in this.stored ? pubKeyHash(Buffer.from(this.stored.publicKey, 'hex')) : undefined
  }

  /** The key hash, or WalletError('locked') saying why there is none yet. */
  requirePkh (): string {
    const pkh = this.pkh
    if (pkh === undefined) throw new WalletError('locked', 'the wallet\'s key comes from the old Schnorr chain and is sealed: unlock it once with its passphrase to move it to this chain')
    return pkh
  }

  /** The key hash of the wallet's Schnorr-era public key (its address on the old chain), if it had one. */
  get schnorrPkh (): string | undefined {
    const old = 'scheme' in this.stored ? this.stored.schnorrPublicKey : this.stored.publicKey
    return old === undefined ? undefined : pubKeyHash(Buffer.from(old, 'hex'))
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
    const secret = await unseal(this.stored.secret.sealed, passphrase)
    await this.finishUpgrade(secret)
    this.secret = secret
  }

  lock (): void {
    if (this.encrypted) this.secret = undefined
  }

  /** Seals the key under a new passphrase (the old one needed if there is one); '' removes it. */
  async setPassphrase (passphrase: string, current?: string): Promise<void> {
    const secret = 'sealed' in this.stored.secret ? await unseal(this.stored.secret.sealed, current ?? '') : this.secretKey()
    const stored: StoredKey = { ...await this.finishUpgrade(secret), secret: passphrase === '' ? { plain: toHex(secret) } : { sealed: await seal(secret, passphrase) } }
    await writeFileAtomic(this.path, JSON.stringify(stored))
    this.stored = stored
    this.secret = secret
  }
}
