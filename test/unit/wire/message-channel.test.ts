// The border every protocol shares: frames over an in-memory libp2p stream pair (a real yamux-like
// stream implementation from @libp2p/utils), fed good messages and garbage.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { streamPair } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { z } from 'zod'
import { encodeMessage, messageChannel, WireError } from '../../../p2p/wire/index.ts'

const Hello = z.object({ type: z.literal('hello'), n: z.number().int() }).strict()

test('a valid message goes through, typed', async () => {
  const [a, b] = await streamPair()
  const sender = messageChannel(a)
  const receiver = messageChannel(b)
  await sender.write({ type: 'hello', n: 7 })
  assert.deepEqual(await receiver.read(Hello), { type: 'hello', n: 7 })
})

for (const [name, frame, code] of [
  ['not JSON', new TextEncoder().encode('{nope'), 'malformed'],
  ['invalid UTF-8', Uint8Array.from([0xff, 0xfe, 0x7b]), 'malformed'],
  ['wrong shape', new TextEncoder().encode('{"type":"hello","n":"7"}'), 'invalid'],
  ['extra fields', new TextEncoder().encode('{"type":"hello","n":7,"x":1}'), 'invalid']
] as const) {
  test(`a frame that is ${name} is refused (${code}) and the stream aborted`, async () => {
    const [a, b] = await streamPair()
    const receiver = messageChannel(b)
    a.send(Uint8Array.from([...varint.encode(frame.length), ...frame]))
    await assert.rejects(receiver.read(Hello), (err: unknown) => err instanceof WireError && err.code === code)
    assert.notEqual(b.status, 'open')
  })
}

test('an oversized frame is refused from its length prefix alone', async () => {
  const [a, b] = await streamPair()
  const receiver = messageChannel(b, { maxMessageBytes: 1024 })
  a.send(Uint8Array.from(varint.encode(10_000_000)))
  await assert.rejects(receiver.read(Hello), (err: unknown) => err instanceof WireError && err.code === 'too-large')
})

test('we never send a frame over the cap', async () => {
  const [a] = await streamPair()
  const sender = messageChannel(a, { maxMessageBytes: 16 })
  await assert.rejects(sender.write({ type: 'hello', n: 123456789012 }), (err: unknown) => err instanceof WireError && err.code === 'too-large')
})

test('frames written together arrive as separate frames, and none over the cap is sent', async () => {
  const [a, b] = await streamPair()
  const sender = messageChannel(a, { maxMessageBytes: 1024 })
  const receiver = messageChannel(b, { maxMessageBytes: 4096 }) // it buffers what arrives: the whole batch
  const frames = [encodeMessage({ type: 'hello', n: 1 }), new Uint8Array(1024).fill(9), new Uint8Array(0)]
  await sender.writeFrames(frames)
  assert.deepEqual(await receiver.read(Hello), { type: 'hello', n: 1 })
  assert.deepEqual(await receiver.readBytes(), frames[1])
  assert.equal((await receiver.readBytes()).byteLength, 0)
  await assert.rejects(sender.writeFrames([frames[1]!, new Uint8Array(1025)]), (err: unknown) => err instanceof WireError && err.code === 'too-large')
})

/** AbortSignal.timeout's timer does not hold the event loop open; a real peer's sockets would. */
async function withLiveEventLoop (run: () => Promise<void>): Promise<void> {
  const keepAlive = setInterval(() => {}, 1000)
  try { await run() } finally { clearInterval(keepAlive) }
}

test('a silent peer times out', async () => {
  const [, b] = await streamPair()
  const receiver = messageChannel(b, { timeoutMs: 100 })
  await withLiveEventLoop(async () => {
    await assert.rejects(receiver.read(Hello), (err: unknown) => err instanceof WireError && err.code === 'timeout')
  })
})

test('a peer that closes mid-frame is reported closed', async () => {
  const [a, b] = await streamPair()
  const receiver = messageChannel(b)
  a.send(Uint8Array.from([...varint.encode(100), 1, 2, 3]))
  a.abort(new Error('gone'))
  await withLiveEventLoop(async () => {
    await assert.rejects(receiver.read(Hello, { signal: AbortSignal.timeout(2000) }), (err: unknown) => err instanceof WireError && err.code === 'closed')
  })
})
