import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WriteQueue } from '../../../p2p/files/write-queue.ts'

const later = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

test('at most max writes run at once, and drain waits for all', async () => {
  const queue = new WriteQueue(2)
  let running = 0
  let peak = 0
  const done: number[] = []
  for (let i = 0; i < 6; i++) {
    await queue.add(async () => { running++; peak = Math.max(peak, running); await later(5); running--; done.push(i) })
  }
  await queue.drain()
  assert.equal(peak, 2)
  assert.deepEqual(done.sort(), [0, 1, 2, 3, 4, 5])
})

test('a failed write is reported to the next add and to drain', async () => {
  const queue = new WriteQueue(4)
  await queue.add(async () => { throw new Error('disk full') })
  await later(1)
  await assert.rejects(queue.add(async () => {}), /disk full/)
  await assert.rejects(queue.drain(), /disk full/)
})
