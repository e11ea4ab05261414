// Every error code the core can answer with has a plain-language message in the UI's one table. The
// table's type (the union of the codes each published contract declares) is the first check; this one
// reads the codes from the core itself — the rule tables, and every literal code thrown in p2p/ — so a
// code thrown outside the declared unions is caught too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ERROR_MESSAGES, messageFor } from '../../renderer/src/api/error-messages.ts'
import { ApiError, errorDetails, errorText } from '../../renderer/src/api/client.ts'
import { CONSENSUS_BAN_SCORE, POLICY_BAN_SCORE } from '../../p2p/ledger/rules/codes.ts'
import { ROOT } from '../support/peer-process.ts'

async function sources (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter(e => e.isFile() && e.name.endsWith('.ts')).map(e => join(e.parentPath, e.name))
}

/** Codes written out where an API answer is made: `new ApiError(400, 'x'`, `sendError(res, 404, 'x'`, guard failures. */
const THROWN = [
  /new ApiError\(\d+, '([a-z0-9-]+)'/g,
  /sendError\(res, \d+, '([a-z0-9-]+)'/g,
  /status: 40[13], code: '([a-z0-9-]+)'/g
]
/** The routes' code → status tables: `errorStatus(X, { … })` and `…_ERROR_STATUS: Record<…> = { … }`. */
const STATUS_TABLE = /(?:errorStatus\(\w+, |_ERROR_STATUS: Record<\w+, number> = )\{([^}]*)\}/g
const TABLE_KEY = /'?([a-z0-9-]+)'?: \d{3}/g

test('every code the core throws or declares in a rule table has a message', async () => {
  const codes = new Set<string>([...Object.keys(CONSENSUS_BAN_SCORE), ...Object.keys(POLICY_BAN_SCORE)])
  for (const file of await sources(join(ROOT, 'p2p'))) {
    const text = await readFile(file, 'utf8')
    for (const pattern of THROWN) for (const m of text.matchAll(pattern)) codes.add(m[1]!)
    for (const table of text.matchAll(STATUS_TABLE)) for (const m of table[1]!.matchAll(TABLE_KEY)) codes.add(m[1]!)
  }
  assert.ok(codes.size > 40, `found only ${codes.size} codes: the scan is broken`)
  const missing = [...codes].filter(code => messageFor(code) == null)
  assert.deepEqual(missing, [], 'codes without a message in renderer/src/api/error-messages.ts')
})

test('messages are plain sentences, not the API text', () => {
  for (const [code, message] of Object.entries(ERROR_MESSAGES)) {
    assert.match(message, /^[A-Z].*[.?]$/, `${code}: a sentence`)
    assert.doesNotMatch(message, /multibase|gater|base units|\bCSN\b|zod/i, `${code}: no internals`)
  }
})

test('an API error shows its message, with the API\'s own words as details; other errors keep their text', () => {
  const err = new ApiError(409, 'offline', 'The dial request is blocked by gater.allowDialPeer')
  assert.match(errorText(err), /Airplane mode/)
  assert.equal(errorDetails(err), 'offline: The dial request is blocked by gater.allowDialPeer')
  assert.equal(errorText(new ApiError(502, 'http-502', '502 Bad Gateway')), '502 Bad Gateway')
  assert.equal(errorText(new Error('plain')), 'plain')
  assert.equal(errorDetails(new Error('plain')), null)
})
