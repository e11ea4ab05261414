// Names of finished downloads in the downloads folder (p2p/files/save-name.ts): never over a file that
// is there, numbered as browsers do, and safe whatever name the sharing peer chose.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_NAME_BYTES, nameCandidates, safeFileName, splitName } from '../../../p2p/files/save-name.ts'

/** The name a download gets in a folder already holding `taken`. */
function saveAs (name: string, taken: string[]): string {
  for (const candidate of nameCandidates(name)) if (!taken.includes(candidate)) return candidate
  throw new Error('unreachable: the candidates never end')
}

test('a free name is kept; a taken one gets the first free number before its extension', () => {
  const rows: Array<[string, string[], string]> = [
    ['a.txt', [], 'a.txt'],
    ['a.txt', ['a.txt'], 'a (1).txt'],
    ['a.txt', ['a.txt', 'a (1).txt'], 'a (2).txt'],
    ['a.txt', ['a.txt', 'a (1).txt', 'a (2).txt', 'a (4).txt'], 'a (3).txt'],
    // A name that carries a number goes on from it.
    ['a (1).txt', ['a (1).txt'], 'a (2).txt'],
    ['a (9).txt', ['a (9).txt', 'a (10).txt'], 'a (11).txt'],
    ['README', ['README'], 'README (1)'],
    ['.bashrc', ['.bashrc'], '.bashrc (1)'],
    ['.config.json', ['.config.json'], '.config (1).json'],
    ['backup.tar.gz', ['backup.tar.gz'], 'backup (1).tar.gz'],
    ['backup.TAR.XZ', ['backup.TAR.XZ'], 'backup (1).TAR.XZ'],
    ['photo.final.jpeg', ['photo.final.jpeg'], 'photo.final (1).jpeg'],
    ['Mr. Smith goes to Washington', ['Mr. Smith goes to Washington'], 'Mr. Smith goes to Washington (1)'],
    ['(1)', ['(1)'], '(1) (1)']
  ]
  for (const [name, taken, expected] of rows) assert.equal(saveAs(name, taken), expected, `${name} with ${JSON.stringify(taken)}`)
})

test('extensions: the last short tail, compound archives whole, a leading dot is no extension', () => {
  assert.deepEqual(splitName('a.txt'), { stem: 'a', extension: '.txt' })
  assert.deepEqual(splitName('a'), { stem: 'a', extension: '' })
  assert.deepEqual(splitName('.bashrc'), { stem: '.bashrc', extension: '' })
  assert.deepEqual(splitName('x.tar.gz'), { stem: 'x', extension: '.tar.gz' })
  assert.deepEqual(splitName('v1.2 notes'), { stem: 'v1.2 notes', extension: '' })
})

test('a name from another peer cannot leave the folder or trip the file system', () => {
  const rows: Array<[string, string]> = [
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['..\\..\\boot.ini', '.._.._boot.ini'],
    ['/etc/shadow', '_etc_shadow'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
    ['what?<now>:"x"|*.txt', 'what__now___x___.txt'],
    ['trailing dots...', 'trailing dots'],
    ['  spaced  ', 'spaced'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['lpt1.log', '_lpt1.log'],
    ['console.txt', 'console.txt'],
    ['..', 'bafyfallback'],
    ['.', 'bafyfallback'],
    ['', 'bafyfallback'],
    [' . ', 'bafyfallback']
  ]
  for (const [name, expected] of rows) assert.equal(safeFileName(name, 'bafyfallback'), expected, JSON.stringify(name))
})

test('long names are cut to the byte limit in their stem, keeping extension and number', () => {
  const long = `${'é'.repeat(300)}.txt`
  const safe = safeFileName(long, 'x')
  assert.ok(new TextEncoder().encode(safe).byteLength <= MAX_NAME_BYTES)
  assert.ok(safe.endsWith('é.txt'))
  const numbered = saveAs(safe, [safe])
  assert.ok(new TextEncoder().encode(numbered).byteLength <= MAX_NAME_BYTES, numbered)
  assert.ok(numbered.endsWith(' (1).txt'), numbered)
  assert.notEqual(numbered, safe)
})
