import { test } from 'node:test'
import assert from 'node:assert/strict'
import { layoutTree } from '../../../renderer/src/ledger/tree-layout.ts'

const block = (hash: string, parent: string, height: number, onMainChain: boolean) => ({ hash, parent, height, time: 0, txCount: 1, status: 'valid' as const, onMainChain })

test('the main chain runs in lane 0 and each fork gets its own lane, kept while it grows', () => {
  const tree = layoutTree([
    block('g', '', 10, true), block('a1', 'g', 11, true), block('a2', 'a1', 12, true),
    block('b1', 'g', 11, false), block('b2', 'b1', 12, false), block('c1', 'a1', 12, false)
  ])
  const lane = (hash: string) => tree.blocks.find(b => b.hash === hash)!.lane
  assert.deepEqual(['g', 'a1', 'a2'].map(lane), [0, 0, 0])
  assert.equal(lane('b1'), lane('b2'))
  assert.notEqual(lane('b1'), 0)
  assert.notEqual(lane('c1'), lane('b1'))
  assert.equal(tree.lanes, 3)
  assert.equal(tree.columns, 3)
  assert.equal(tree.links.length, 5)
})
