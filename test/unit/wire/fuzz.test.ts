// Property-based tests of every decoder a peer's bytes reach: the framing, each protocol's wire schemas,
// the ledger's binary codec, share links and invites. Random bytes and mutations of valid frames are
// either decoded to a value the schema accepts or refused with the decoder's coded error — never
// anything else (no TypeError, RangeError or hang).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { streamPair } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import type { z } from 'zod'
import { messageChannel, WireError } from '../../../p2p/wire/index.ts'
import * as files from '../../../p2p/files/protocol.ts'
import * as calendar from '../../../p2p/calendar/sync/protocol.ts'
import { decodeFrame, encodeFrame } from '../../../p2p/calendar/sync/codec.ts'
import * as ledger from '../../../p2p/ledger/sync/protocol.ts'
import * as chord from '../../../p2p/dht/chord/protocol.ts'
import { decodeBlock, decodeHeader, decodeTx, encodeBlock, encodeHeader, encodeTx, toHex } from '../../../p2p/ledger/rules/codec.ts'
import { chainParams, coinbaseTx, genesisBlock } from '../../../p2p/ledger/rules/params.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { formatLink, parseLink } from '../../../p2p/files/link.ts'
import { FilesError } from '../../../p2p/files/errors.ts'
import { formatInvite, parseInvite } from '../../../p2p/calendar/invite.ts'
import { CalendarError } from '../../../p2p/calendar/errors.ts'
import { parseCid } from '../../../p2p/files/dag.ts'

const RUNS = 150
const WIRE_CODES = new Set(['too-large', 'malformed', 'invalid', 'closed', 'timeout'])
const HASH = 'ab'.repeat(32)
const PEER = '12D3KooWGzh6p5h5Y4rG8yQY3n8Jb6nDq4N7hXk5Ju7mXwUJbEJW'
const CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
const CALENDAR = 'a1b2c3d4e5f6a7b8c9d0'
const node = { peer: PEER, id: 'cd'.repeat(20), addrs: ['/ip4/127.0.0.1/tcp/4001'] }
const block = genesisBlock(chainParams('test'))

/** Each schema a serving or asking side reads, with valid messages to mutate. */
const SCHEMAS: Array<[string, z.ZodType, unknown[]]> = [
  ['files Request', files.Request, [{ type: 'manifest', root: CID }, { type: 'range', root: CID, start: 3, count: 2 }]],
  ['files ManifestHeader', files.ManifestHeader, [{ type: 'manifest', size: 1000, blocks: 1 }, { type: 'missing' }]],
  ['files RangeHeader', files.RangeHeader, [{ type: 'range', start: 0, count: 4 }]],
  ['calendar Opening', calendar.Opening, [{ type: 'hello', calendar: CALENDAR, summary: { vv: { R: 3 }, csn: 2 } }, { type: 'join', calendar: CALENDAR, secret: 'A'.repeat(43) }]],
  ['calendar Answer', calendar.Answer, [{ type: 'refused', code: 'not-member', reason: 'no' }, { type: 'accepted', replica: 'R.1' }]],
  ['calendar Frame', calendar.Frame, [{ type: 'end', summary: { vv: { R: 1 }, csn: 0 } }, { type: 'writes', runs: [], commits: [] }, { type: 'snapshot-part', table: 'events', rows: { a: { x: 1 } } }]],
  ['ledger SyncRequest', ledger.SyncRequest, [{ type: 'headers', locator: [HASH], max: 10 }, { type: 'blocks', hashes: [HASH] }, { type: 'mempool' }, { type: 'txs', txids: [HASH] }]],
  ['ledger HeadersReply', ledger.HeadersReply, [{ type: 'headers', headers: [toHex(encodeHeader(block.header))] }]],
  ['ledger BlockReply', ledger.BlockReply, [{ type: 'block', block: toHex(encodeBlock(block)) }, { type: 'not-found', hash: HASH }]],
  ['ledger MempoolReply', ledger.MempoolReply, [{ type: 'mempool', txids: [HASH] }]],
  ['ledger TxReply', ledger.TxReply, [{ type: 'tx', tx: toHex(encodeTx(block.txs[0]!)) }]],
  ['chord Request', chord.Request, [{ type: 'step', key: 'ef'.repeat(20), avoid: [PEER] }, { type: 'neighbours' }, { type: 'notify', addrs: ['/ip4/1.2.3.4/tcp/1'] }, { type: 'ping' }, { type: 'fetch', keyId: 'ef'.repeat(20) }]],
  ['chord StepResponse', chord.StepResponse, [{ kind: 'found', successors: [node] }, { kind: 'next', node }, { kind: 'stuck' }]],
  ['chord NeighboursResponse', chord.NeighboursResponse, [{ predecessor: null, successors: [node] }]],
  ['chord FetchResponse', chord.FetchResponse, [{ records: [] }]]
]

for (const [, schema, valid] of SCHEMAS) for (const message of valid) assert.ok(schema.safeParse(message).success, JSON.stringify(message))

const frame = (payload: Uint8Array): Uint8Array => Uint8Array.from([...varint.encode(payload.length), ...payload])

/** Byte-level mutations of a valid payload: flips, cuts, insertions, swaps. */
const mutated = (payload: Uint8Array): fc.Arbitrary<Uint8Array> => fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert', 'delete')), { minLength: 1, maxLength: 8 })
  .map(edits => {
    let bytes = [...payload]
    for (const [at, value, kind] of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length
      if (kind === 'flip') bytes[i] = value
      else if (kind === 'cut') bytes = bytes.slice(0, i)
      else if (kind === 'insert') bytes.splice(i, 0, value)
      else bytes.splice(i, 1)
    }
    return Uint8Array.from(bytes)
  })

/** Sends `bytes` and closes; the reader's outcome. */
async function readOnce (schema: z.ZodType, bytes: Uint8Array): Promise<{ value: unknown } | { error: unknown }> {
  const [a, b] = await streamPair()
  const receiver = messageChannel(b, { maxMessageBytes: 64 * 1024, timeoutMs: 300 })
  a.send(bytes)
  await a.close().catch(() => {})
  try {
    return { value: await receiver.read(schema) }
  } catch (error) {
    return { error }
  }
}

const codedWireError = (outcome: { value: unknown } | { error: unknown }, schema: z.ZodType): boolean =>
  'value' in outcome ? schema.safeParse(outcome.value).success : outcome.error instanceof WireError && WIRE_CODES.has(outcome.error.code)

test('framing: any byte stream is a message the schema accepts or a coded WireError', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...SCHEMAS), async (bytes, [, schema]) => {
    const outcome = await readOnce(schema, bytes)
    assert.ok(codedWireError(outcome, schema), String('error' in outcome ? outcome.error : ''))
  }), { numRuns: RUNS })
})

test('framing: random length prefixes, including ones far past the cap, are coded errors', async () => {
  await fc.assert(fc.asyncProperty(fc.oneof(fc.nat(), fc.constant(2 ** 31), fc.constant(Number.MAX_SAFE_INTEGER)), fc.uint8Array({ maxLength: 64 }), async (length, tail) => {
    const outcome = await readOnce(files.Request, Uint8Array.from([...varint.encode(length), ...tail]))
    assert.ok(codedWireError(outcome, files.Request), String('error' in outcome ? outcome.error : ''))
  }), { numRuns: RUNS })
})

for (const [name, schema, valid] of SCHEMAS) {
  test(`${name}: mutated valid frames and random JSON are accepted only when valid, else refused with a code`, async () => {
    const payloads = valid.map(m => new TextEncoder().encode(JSON.stringify(m)))
    const candidates = fc.oneof(
      fc.constantFrom(...payloads).chain(mutated),
      fc.jsonValue().map(v => new TextEncoder().encode(JSON.stringify(v) ?? 'null')),
      fc.constantFrom(...valid).chain(m => fc.jsonValue().map(v => new TextEncoder().encode(JSON.stringify({ ...(m as object), extra: v }))))
    )
    await fc.assert(fc.asyncProperty(candidates, async payload => {
      const outcome = await readOnce(schema, frame(payload))
      assert.ok(codedWireError(outcome, schema), String('error' in outcome ? outcome.error : ''))
    }), { numRuns: RUNS })
  })
}

test('calendar frames on the wire (deflated JSON): random and mutated bytes decode to a valid frame or throw a coded WireError', () => {
  const valid = [{ type: 'end', summary: { vv: { R: 1 }, csn: 0 } }, { type: 'writes', runs: [], commits: [] }].map(f => encodeFrame(calendar.Frame.parse(f)))
  const inputs = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...valid).chain(mutated))
  fc.assert(fc.property(inputs, bytes => {
    try {
      assert.ok(calendar.Frame.safeParse(decodeFrame(bytes).frame).success)
    } catch (err) {
      assert.ok(err instanceof WireError && WIRE_CODES.has(err.code), String(err))
    }
  }), { numRuns: 2000 })
})

test('ledger codec: random and mutated blocks, transactions and headers decode or throw RuleError malformed', () => {
  const valid = [encodeBlock(block), encodeTx(block.txs[0]!), encodeTx(coinbaseTx(7, [{ amount: 5, pkh: '11'.repeat(20) }])), encodeHeader(block.header)]
  const inputs = fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.constantFrom(...valid).chain(mutated))
  fc.assert(fc.property(inputs, fc.constantFrom(decodeBlock, decodeTx, decodeHeader), (bytes, decode) => {
    try {
      decode(bytes)
    } catch (err) {
      assert.ok(err instanceof RuleError && err.code === 'malformed', String(err))
    }
  }), { numRuns: 2000 })
})

test('share links and invites: random and mutated text parses or throws its coded error', () => {
  const link = formatLink({ cid: parseCid(CID), name: 'f.bin', size: 10, key: 'k'.repeat(43) })
  const invite = formatInvite({ v: 1, calendar: CALENDAR, secret: 'A'.repeat(43), peers: [{ id: PEER, addrs: ['/ip4/127.0.0.1/tcp/1'] }] })
  const text = (valid: string): fc.Arbitrary<string> => fc.oneof(fc.string({ maxLength: 300 }), mutated(new TextEncoder().encode(valid)).map(b => new TextDecoder().decode(b)))
  fc.assert(fc.property(text(link), t => {
    // unsupported-layout: a well-formed CID of another codec than raw or dag-pb (a mutation can make one; 422 in the API).
    try { parseLink(t) } catch (err) { assert.ok(err instanceof FilesError && ['bad-link', 'bad-cid', 'unsupported-layout'].includes(err.code), String(err)) }
  }), { numRuns: 1000 })
  fc.assert(fc.property(text(invite), t => {
    try { parseInvite(t) } catch (err) { assert.ok(err instanceof CalendarError && err.code === 'bad-invite', String(err)) }
  }), { numRuns: 1000 })
})
