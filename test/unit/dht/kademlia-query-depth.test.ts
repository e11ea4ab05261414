// How deep an iterative Kademlia query went: the chain of answers, not the number of peers asked.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { QueryDepth } from '../../../p2p/dht/kademlia/query-depth.ts'

test('peers the asker knew are one hop; peers named by their answers one more', () => {
  const depth = new QueryDepth()
  assert.equal(depth.hops, 0)
  for (const p of ['a', 'b', 'c']) depth.asked(p)
  depth.answered('a', ['d', 'b'])
  depth.answered('b', [])
  assert.equal(depth.hops, 1) // b was known already: naming it again does not deepen it
  depth.asked('d')
  depth.answered('d', ['e'])
  depth.asked('e')
  depth.answered('e', [])
  assert.equal(depth.hops, 3)
  depth.answered('c', [])
  assert.equal(depth.hops, 3)
})
