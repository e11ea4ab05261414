// The routes' error translation: a listed kind of error becomes an ApiError with its own code and
// message and the status its table gives; anything else passes through untouched (a 500 in the router).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { apiErrorsFrom, errorStatus } from '../../p2p/api/http.ts'
import { ApiError } from '../../p2p/api/contract.ts'
import { CodedError } from '../../p2p/coded-error.ts'

class ShelfError extends CodedError<'empty' | 'locked'> {}
class RuleBreak extends CodedError<string> {}
const asApiError = apiErrorsFrom(
  errorStatus(ShelfError, { empty: 404, locked: 423 }),
  errorStatus(RuleBreak, code => code === 'malformed' ? 400 : 409)
)

const fails = async (err: Error): Promise<never> => { throw err }

test('a listed error becomes an ApiError with its status, code and message', async () => {
  await assert.rejects(asApiError(async () => await fails(new ShelfError('locked', 'the shelf is locked'))),
    (err: unknown) => err instanceof ApiError && err.status === 423 && err.code === 'locked' && err.message === 'the shelf is locked')
  await assert.rejects(asApiError(async () => await fails(new RuleBreak('malformed', 'bad bytes'))),
    (err: unknown) => err instanceof ApiError && err.status === 400 && err.code === 'malformed')
  await assert.rejects(asApiError(async () => await fails(new RuleBreak('double-spend', 'spent'))),
    (err: unknown) => err instanceof ApiError && err.status === 409)
})

test('other errors pass through unchanged, and results come back as they are', async () => {
  const surprise = new TypeError('surprise')
  await assert.rejects(asApiError(async () => await fails(surprise)), (err: unknown) => err === surprise)
  assert.equal(await asApiError(async () => 42), 42)
})
