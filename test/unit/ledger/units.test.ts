import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatCoins, parseCoins } from '../../../renderer/src/ledger/units.ts'

test('coins parse to integer units without floats, and format back', () => {
  assert.equal(parseCoins('1.5'), 150_000_000)
  assert.equal(parseCoins('0.00000001'), 1)
  assert.equal(parseCoins(' 12 '), 1_200_000_000)
  assert.equal(parseCoins('0.1'), 10_000_000, 'not 0.1 × 1e8 in floating point')
  for (const bad of ['', '1.', '.5', '1.123456789', '-1', '1e3', 'abc']) assert.equal(parseCoins(bad), null, bad)
  assert.equal(formatCoins(150_000_000), '1.5')
  assert.equal(formatCoins(-1200), '−0.000012')
  assert.equal(formatCoins(5_000_000_000), '50')
})
