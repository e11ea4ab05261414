// Lying and malformed input from a connected peer: garbage frames on the sync protocol, garbage and
// invalid blocks and transactions on gossip. Nothing is stored, the victim keeps serving, and an
// honest request still gets its answer.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { callApi, startInProcess } from '../support/in-process.ts'
import { eventually } from '../support/peer-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'
import { messageChannel } from '../../p2p/wire/index.ts'
import { syncProtocol, gossipTopics, HeadersReply } from '../../p2p/ledger/sync/protocol.ts'
import { chainParams, genesisBlock, coinbaseTx, blockReward } from '../../p2p/ledger/rules/params.ts'
import { blockHash, merkleRoot, txid } from '../../p2p/ledger/rules/hash.ts'
import { encodeBlock, encodeTx } from '../../p2p/ledger/rules/codec.ts'
import { checkProofOfWork } from '../../p2p/ledger/rules/block.ts'

const NETWORK = 'test-ledger-garbage'
const running: RunningTidepool[] = []
after(async () => { await Promise.all(running.map(async r => await r.stop())) })

async function start (): Promise<RunningTidepool> {
  const peer = await startInProcess(['--network', NETWORK, '--chain', 'test'])
  running.push(peer)
  return peer
}

test('garbage on the sync protocol aborts that stream only; the peer still answers honest requests', async () => {
  const victim = await start()
  const attacker = await start()
  await attacker.peer.dial(victim.ready.addrs[0]!)
  const protocol = syncProtocol(NETWORK, 'test')
  const junk: Uint8Array[] = [
    Uint8Array.of(5, 0xff, 0xfe, 0x00, 0x01, 0x02), // a frame that is not JSON
    Uint8Array.of(0xff, 0xff, 0xff, 0x7f), // a length prefix of 256 MiB
    Uint8Array.of(...Buffer.from('\x1f{"type":"headers","locator":[]}'))
  ]
  for (const bytes of junk) {
    const stream = await attacker.peer.node.dialProtocol(victim.peer.node.peerId, protocol)
    stream.send(bytes)
    await eventually('stream ended by the victim', async () => stream.status, status => status !== 'open', 5000)
  }
  const stream = await attacker.peer.node.dialProtocol(victim.peer.node.peerId, protocol)
  const channel = messageChannel(stream, { maxMessageBytes: 4 * 1024 * 1024 })
  await channel.write({ type: 'headers', locator: [blockHash(genesisBlock(chainParams('test')).header)], max: 10 })
  assert.deepEqual(await channel.read(HeadersReply), { type: 'headers', headers: [] })
  await channel.close()
  assert.equal((await callApi(victim, '/api/chain')).body.height, 0)
})

test('invalid blocks and transactions on gossip are refused and not stored; the sender is disconnected', async () => {
  const victim = await start()
  const attacker = await start()
  await attacker.peer.dial(victim.ready.addrs[0]!)
  const topics = gossipTopics(NETWORK, 'test')
  const pubsub = attacker.peer.node.services.pubsub
  await eventually('gossip mesh formed', async () => pubsub.getSubscribers(topics.blocks).map(String), ids => ids.includes(victim.ready.peerId), 10_000)

  // A block with valid proof of work but a Merkle root that commits to nothing in it.
  const params = chainParams('test')
  const genesis = genesisBlock(params)
  const coinbase = coinbaseTx(1, [{ amount: blockReward(params, 1), pkh: '11'.repeat(20) }])
  const bad = { header: { version: 1, prevHash: blockHash(genesis.header), merkleRoot: merkleRoot([txid(coinbase), txid(coinbase)]), time: genesis.header.time + 1, bits: params.powLimitBits, nonce: 0 }, txs: [coinbase] }
  for (;; bad.header.nonce++) { try { checkProofOfWork(bad.header, params); break } catch {} }

  const hungUp = new Promise<void>(resolve => {
    victim.peer.events.subscribe(event => { if (event.type === 'peer:disconnected' && event.peerId === attacker.ready.peerId) resolve() })
  })
  await pubsub.publish(topics.blocks, Uint8Array.of(1, 2, 3)).catch(() => {})
  await pubsub.publish(topics.txs, encodeTx({ version: 1, inputs: [], outputs: [], lockTime: 0 })).catch(() => {})
  await pubsub.publish(topics.blocks, encodeBlock(bad)).catch(() => {})
  await hungUp
  const chain = (await callApi(victim, '/api/chain')).body
  assert.equal(chain.height, 0)
  assert.equal(chain.orphans, 0)
  const res = await fetch(`${victim.ready.api}/api/chain/blocks/${blockHash(bad.header)}`, { headers: { authorization: `Bearer ${victim.token}` } })
  assert.equal(res.status, 404)
  assert.equal((await callApi(victim, '/api/mempool')).body.size, 0)
})
