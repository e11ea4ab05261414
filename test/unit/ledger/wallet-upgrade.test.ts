// A wallet file of the Schnorr chains is not lost: its secret becomes the new chain's key (at once when
// unsealed, at the first unlock when sealed — until then no address, no mining, no payments), the old
// address stays visible, and the file keeps the same secret under the same passphrase.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { schnorr } from '@noble/curves/secp256k1.js'
import { Keystore, WALLET_FILE, WalletError } from '../../../p2p/ledger/wallet/keystore.ts'
import { decodeAddress, encodeAddress, encodeLegacyAddress, publicKeyOf, pubKeyHash } from '../../../p2p/ledger/rules/address.ts'
import { LedgerService } from '../../../p2p/ledger/service.ts'
import { mineMany, openTestLedger, removeLedger, type OpenLedger } from './ledger-harness.ts'

const lockedWith = (code: string) => (err: unknown) => err instanceof WalletError && err.code === code

async function dirWithSchnorrWallet (t: { after: (fn: () => Promise<void>) => void }, passphrase?: string): Promise<{ dir: string, secret: Uint8Array, schnorrPkh: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-wallet-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const secret = schnorr.utils.randomSecretKey()
  const schnorrPublic = Buffer.from(schnorr.getPublicKey(secret)).toString('hex')
  let file: object = { publicKey: schnorrPublic, secret: { plain: Buffer.from(secret).toString('hex') } }
  if (passphrase !== undefined) {
    // The sealing is unchanged: seal with today's keystore, then write the file as the Schnorr chains did.
    const sealer = await mkdtemp(join(tmpdir(), 'ledger-sealer-'))
    await writeFile(join(sealer, WALLET_FILE), JSON.stringify(file))
    const keys = await Keystore.open(sealer)
    await keys.setPassphrase(passphrase)
    const sealed = JSON.parse(await readFile(join(sealer, WALLET_FILE), 'utf8')).secret
    await rm(sealer, { recursive: true, force: true })
    file = { publicKey: schnorrPublic, secret: sealed }
  }
  await writeFile(join(dir, WALLET_FILE), JSON.stringify(file))
  return { dir, secret, schnorrPkh: pubKeyHash(schnorr.getPublicKey(secret)) }
}

const viewOf = (ledger: OpenLedger): LedgerService =>
  // Only the wallet's views and the mining guard are exercised: no miner or network behind them.
  new LedgerService({ ledger, miner: undefined as never, sync: undefined as never, onMempoolChange: () => {} })

test('an unsealed Schnorr-era wallet moves to the new chain at once: same secret, new address, the old one shown', async (t) => {
  const { dir, secret, schnorrPkh } = await dirWithSchnorrWallet(t)
  const ledger = await openTestLedger(undefined, dir)
  t.after(async () => { await ledger.close() })
  const address = encodeAddress(pubKeyHash(publicKeyOf(secret)))
  assert.equal(ledger.wallet.address, address)
  const view = await viewOf(ledger).wallet()
  assert.equal(view.address, address)
  assert.equal(view.schnorrAddress, encodeLegacyAddress(schnorrPkh))
  const file = JSON.parse(await readFile(join(dir, WALLET_FILE), 'utf8'))
  assert.equal(file.scheme, 'ed25519')
  assert.equal(file.secret.plain, Buffer.from(secret).toString('hex'), 'the secret is kept as it was')
  // The moved key mines and pays on the new chain.
  await mineMany(ledger, ledger.chain.params.coinbaseMaturity, decodeAddress(address))
  await ledger.wallet.send(address, 1000, 200)
  assert.equal(ledger.mempool.size, 1)
})

test('a sealed Schnorr-era wallet has no address until its first unlock, then moves, still sealed, and keeps its address while locked', async (t) => {
  const { dir, secret, schnorrPkh } = await dirWithSchnorrWallet(t, 'correct horse')
  const before = await readFile(join(dir, WALLET_FILE), 'utf8')
  let ledger = await openTestLedger(undefined, dir)
  t.after(async () => { await removeLedger(ledger) })
  let service = viewOf(ledger)
  const pending = await service.wallet()
  assert.equal(pending.address, null)
  assert.equal(pending.schnorrAddress, encodeLegacyAddress(schnorrPkh))
  assert.deepEqual(pending.balance, { confirmed: 0, pending: 0, immature: 0 })
  assert.equal(pending.locked, true)
  assert.throws(() => ledger.wallet.address, lockedWith('locked'))
  await assert.rejects(service.setMining(true), lockedWith('locked'))
  await assert.rejects(ledger.wallet.send(encodeAddress('11'.repeat(20)), 1000, 200), lockedWith('locked'))
  await assert.rejects(service.unlock('wrong'), lockedWith('wrong-passphrase'))
  assert.equal(await readFile(join(dir, WALLET_FILE), 'utf8'), before, 'a failed unlock changes nothing on disk')

  const address = encodeAddress(pubKeyHash(publicKeyOf(secret)))
  assert.equal((await service.unlock('correct horse')).address, address)
  const file = JSON.parse(await readFile(join(dir, WALLET_FILE), 'utf8'))
  assert.equal(file.scheme, 'ed25519')
  assert.deepEqual(file.secret, JSON.parse(before).secret, 'the same sealed secret: no plain copy written')

  await ledger.close()
  ledger = await openTestLedger(undefined, dir)
  service = viewOf(ledger)
  const reopened = await service.wallet()
  assert.equal(reopened.locked, true)
  assert.equal(reopened.address, address, 'the address shows while locked again')
  assert.equal(reopened.schnorrAddress, encodeLegacyAddress(schnorrPkh))
})

test('a new wallet is an Ed25519 one with no Schnorr past', async (t) => {
  const ledger = await openTestLedger()
  t.after(async () => { await removeLedger(ledger) })
  const view = await viewOf(ledger).wallet()
  assert.equal(view.schnorrAddress, null)
  assert.equal(JSON.parse(await readFile(join(ledger.dir, WALLET_FILE), 'utf8')).scheme, 'ed25519')
})

test('a wallet file of a scheme this version does not know is refused, never taken for a Schnorr-era one and rewritten', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-wallet-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const file = JSON.stringify({ scheme: 'some-later-scheme', publicKey: 'ab'.repeat(32), secret: { plain: 'cd'.repeat(32) } })
  await writeFile(join(dir, WALLET_FILE), file)
  await assert.rejects(Keystore.open(dir))
  assert.equal(await readFile(join(dir, WALLET_FILE), 'utf8'), file)
})
