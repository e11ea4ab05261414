// Waiting transactions catch up over the sync protocol (what gossip missed): the asker fetches only what
// it lacks, parents before children, through its own mempool rules; a peer serving a forged transaction
// is caught. Real handler and client over an in-memory libp2p stream pair. A peer of the Schnorr chain is told apart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { streamPair } from '@libp2p/utils'
import type { Connection } from '@libp2p/interface'
import { messageChannel } from '../../../p2p/wire/index.ts'
import { syncHandler } from '../../../p2p/ledger/sync/server.ts'
import { catchUp, catchUpMempool } from '../../../p2p/ledger/sync/client.ts'
import { MAX_FRAME_BYTES, gossipTopics, schnorrChainPeer, syncProtocol } from '../../../p2p/ledger/sync/protocol.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { txid } from '../../../p2p/ledger/rules/hash.ts'
import type { Transaction } from '../../../p2p/ledger/rules/codec.ts'
import { spend, type Key } from './block-builder.ts'
import { mineMany, openTestLedger, removeLedger, type OpenLedger } from './ledger-harness.ts'

async function session (server: OpenLedger, asker: OpenLedger): Promise<Transaction[]> {
  const [a, b] = await streamPair()
  // Only a failed stream's report reads the connection (its sender).
  void syncHandler(server.chain, server.mempool, () => {})(b, {} as Connection)
  const channel = messageChannel(a, { maxMessageBytes: MAX_FRAME_BYTES })
  await catchUp(channel, asker.chain)
  const txs = await catchUpMempool(channel, asker.mempool)
  await channel.close()
  return txs
}

/** A server whose wallet can spend `coinbase` in the next block, and an asker that has nothing yet. */
async function twoPeers (t: { after: (fn: () => Promise<void>) => void }): Promise<{ server: OpenLedger, asker: OpenLedger, key: Key, coinbase: Transaction }> {
  const server = await openTestLedger()
  const asker = await openTestLedger()
  t.after(async () => { await removeLedger(server); await removeLedger(asker) })
  const key: Key = { secretKey: server.keys.secretKey(), pkh: server.keys.requirePkh() }
  const [first] = await mineMany(server, server.chain.params.coinbaseMaturity, key.pkh)
  return { server, asker, key, coinbase: first!.txs[0]! }
}

test('a peer fetches the waiting transactions it lacks, parents first, and only those', async (t) => {
  const { server, asker, key, coinbase } = await twoPeers(t)
  const parent = spend([{ txid: txid(coinbase), index: 0 }], [{ amount: coinbase.outputs[0]!.amount - 200, pkh: key.pkh }], key)
  const child = spend([{ txid: txid(parent), index: 0 }], [{ amount: parent.outputs[0]!.amount - 200, pkh: key.pkh }], key)
  await server.mempool.add(parent)
  await server.mempool.add(child)

  assert.deepEqual((await session(server, asker)).map(txid), [parent, child].map(txid))
  assert.equal(asker.chain.tip.hash, server.chain.tip.hash, 'blocks first, so the coins spent are known')
  assert.deepEqual(asker.mempool.entries().map(e => e.txid), [parent, child].map(txid))
  assert.deepEqual(await session(server, asker), [], 'nothing new the second time')
})

test('a transaction that breaks a rule, served by a peer, is thrown to the caller (who penalizes the peer)', async (t) => {
  const { server, asker, key, coinbase } = await twoPeers(t)
  const honest = spend([{ txid: txid(coinbase), index: 0 }], [{ amount: 1000, pkh: key.pkh }], key)
  await server.mempool.add(honest)
  // The server's mempool now hands out a copy whose output was changed after signing.
  const forged = { ...honest, outputs: [{ amount: 2000, pkh: key.pkh }] }
  server.mempool.entries = () => [{ tx: forged, txid: txid(forged), fee: 0, size: 0, time: 0 }]
  server.mempool.transaction = () => forged
  await assert.rejects(session(server, asker), (err: unknown) => err instanceof RuleError && err.code === 'bad-signature')
  assert.equal(asker.mempool.size, 0)
})

test('a peer on the Schnorr chain of our chain\'s name (sync/1.0.0 only) is named with the reason; peers on ours, or on both, are not', () => {
  const old = ['/ipfs/id/1.0.0', '/tidepool/n/ledger/test/sync/1.0.0']
  const reason = schnorrChainPeer(old, 'n', 'test', 'peer-a')
  assert.match(reason ?? '', /peer-a runs chain "test" of an older Tidepool, signed with BIP340 Schnorr .*another genesis/)
  assert.equal(schnorrChainPeer([syncProtocol('n', 'test')], 'n', 'test', 'peer-b'), undefined)
  assert.equal(schnorrChainPeer([...old, syncProtocol('n', 'test')], 'n', 'test', 'peer-c'), undefined)
  assert.equal(schnorrChainPeer(old, 'n', 'test-b', 'peer-d'), undefined, 'another chain name is another chain anyway')
  assert.notEqual(syncProtocol('n', 'test'), old[1], 'the two chains speak different protocol ids')
  assert.doesNotMatch(gossipTopics('n', 'test').blocks, /\/1$/)
})
