// The consensus rules stay pure: no file system, network, threads or clock — the chain, miner and
// sync layers bring those in. A new import in rules/ that breaks this fails here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ROOT } from '../../support/peer-process.ts'

const RULES = join(ROOT, 'p2p', 'ledger', 'rules')
const ALLOWED = [/^\.\/[\w-]+\.ts$/, /^node:crypto$/, /^@noble\/(curves|hashes)\//, /^@scure\/base$/]

test('rules/ imports only hashing, curve and encoding libraries, and never reads the clock', async () => {
  const files = (await readdir(RULES)).filter(f => f.endsWith('.ts'))
  assert.ok(files.length >= 8)
  for (const file of files) {
    const source = await readFile(join(RULES, file), 'utf8')
    for (const [, from] of source.matchAll(/^import .* from '([^']+)'/gm)) {
      assert.ok(ALLOWED.some(rule => rule.test(from!)), `${file} imports ${from}`)
    }
    assert.doesNotMatch(source, /Date\.now|new Date\(|performance\.now|process\./, `${file} reads the clock or the process`)
  }
})
