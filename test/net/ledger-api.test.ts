// The ledger's API on one in-process peer: request validation, error codes, and the wallet's
// passphrase cycle (seal, lock, refuse to send, unlock).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { callApi, startInProcess } from '../support/in-process.ts'
import { eventually } from '../support/peer-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

const running: RunningTidepool[] = []
after(async () => { await Promise.all(running.map(async r => await r.stop())) })

test('ledger routes refuse bad input with a reason, and the passphrase locks sending until unlocked', async () => {
  const peer = await startInProcess(['--network', 'test-ledger-api', '--chain', 'test'])
  running.push(peer)
  const code = (r: { status: number, body: any }): [number, string] => [r.status, r.body.error?.code]

  assert.deepEqual(code(await callApi(peer, '/api/chain/blocks/xyz')), [400, 'bad-request'])
  assert.deepEqual(code(await callApi(peer, `/api/chain/blocks/${'ab'.repeat(32)}`)), [404, 'not-found'])
  assert.deepEqual(code(await callApi(peer, '/api/mining', { enabled: true, threads: 0 })), [400, 'bad-request'])
  assert.deepEqual(code(await callApi(peer, '/api/mining', { enabled: 'yes' })), [400, 'bad-request'])
  assert.deepEqual(code(await callApi(peer, '/api/ledger/simulate-attack', { q: 0.6, z: [1], trials: 10 })), [400, 'bad-request'])

  const { address } = (await callApi(peer, '/api/wallet')).body
  assert.deepEqual(code(await callApi(peer, '/api/wallet/send', { to: address.slice(0, -1) + (address.endsWith('x') ? 'y' : 'x'), amount: 1, fee: 100 })), [400, 'bad-address'])
  assert.deepEqual(code(await callApi(peer, '/api/wallet/send', { to: address, amount: 1.5, fee: 100 })), [400, 'bad-request'])
  assert.deepEqual(code(await callApi(peer, '/api/wallet/send', { to: address, amount: 1000, fee: 100 })), [409, 'insufficient-funds'])

  assert.equal((await callApi(peer, '/api/mining', { enabled: true, threads: 1, blocks: 4 })).status, 200)
  await eventually('mined and mature', async () => (await callApi(peer, '/api/wallet')).body.balance.confirmed, confirmed => confirmed > 0)

  const sealed = await callApi(peer, '/api/wallet/passphrase', { passphrase: 'tide and pool' })
  assert.deepEqual([sealed.body.encrypted, sealed.body.locked], [true, false])
  assert.equal((await callApi(peer, '/api/wallet/lock', {})).body.locked, true)
  assert.deepEqual(code(await callApi(peer, '/api/wallet/send', { to: address, amount: 1000, fee: 100 })), [423, 'locked'])
  assert.deepEqual(code(await callApi(peer, '/api/wallet/unlock', { passphrase: 'wrong' })), [403, 'wrong-passphrase'])
  assert.equal((await callApi(peer, '/api/wallet/unlock', { passphrase: 'tide and pool' })).body.locked, false)
  const sent = await callApi(peer, '/api/wallet/send', { to: address, amount: 1000, fee: 100 })
  assert.equal(sent.status, 200, JSON.stringify(sent.body))
  assert.deepEqual((await callApi(peer, '/api/mempool')).body.txs.map((t: any) => t.txid), [sent.body.txid])
  assert.equal((await callApi(peer, '/api/chain')).body.chain, 'test')
})
