// The pure rules of the Electron shell, and its wiring driven with fakes (Electron itself is not
// installed here): navigation and window.open, permissions, the IPC sender check and argument
// validators, the core's environment and flags, and the ready-line contract.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { isAllowedNavigation, isPermissionAllowed, isSafeExternalUrl, isTrustedSender, apiOriginOf } from '../../main/navigation-policy.ts'
import { IpcValidationError, MAX_PATH_LENGTH, validatePickFilesArgs, validatePathArgs, sanitizePickedPaths, type IpcValidationCode } from '../../main/ipc-validation.ts'
import { ALLOWED_IPC_CHANNELS, IPC_CHANNELS } from '../../main/ipc-channels.ts'
import {
  DANGEROUS_ENV_VARS, LineSplitter, ReadyLineError, buildCoreArgs, parseApiToken, parseDesktopArgs,
  parseReadyLine, redactSecrets, sanitizeCoreEnv, uiUrl
} from '../../main/core-protocol.ts'
import { hardenSession, hardenWebContents, secureWebPreferences, type HardeningDeps } from '../../main/window-hardening.ts'
import { registerIpcHandlers, ShellError } from '../../main/ipc-handlers.ts'
import { isSavedFile } from '../../main/saved-files.ts'

const API = 'http://127.0.0.1:43123'

// ---- navigation ----------------------------------------------------------------------------------

test('isAllowedNavigation: only the API origin', () => {
  const rows: Array<[url: unknown, allowed: boolean]> = [
    [`${API}/`, true],
    [`${API}/#token=abc`, true],
    [`${API}/peers?x=1`, true],
    [`${API}`, true],
    ['http://127.0.0.1:43124/', false], // another port
    ['http://localhost:43123/', false], // same port, other host name: another origin
    ['https://127.0.0.1:43123/', false],
    ['ws://127.0.0.1:43123/api/events', false],
    ['http://user:pw@127.0.0.1:43123/', false],
    ['https://example.org/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<h1>x</h1>', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
    [undefined, false],
    [42, false]
  ]
  for (const [url, allowed] of rows) {
    assert.equal(isAllowedNavigation(url, API), allowed, String(url))
  }
})

test('isAllowedNavigation: nothing is allowed without a (valid) API origin', () => {
  assert.equal(isAllowedNavigation(`${API}/`, null), false)
  assert.equal(isAllowedNavigation(`${API}/`, undefined), false)
  assert.equal(isAllowedNavigation('https://example.org/', 'https://example.org'), false)
  assert.equal(isAllowedNavigation('http://10.0.0.1:80/', 'http://10.0.0.1:80'), false)
  assert.equal(isAllowedNavigation(`${API}/`, `${API}/`), false, 'an origin, not a URL')
})

test('apiOriginOf: plain http on 127.0.0.1, a bare origin', () => {
  assert.equal(apiOriginOf(API), API)
  assert.equal(apiOriginOf(`${API}/`), API)
  assert.equal(apiOriginOf('http://localhost:43123'), undefined)
  assert.equal(apiOriginOf('https://127.0.0.1:43123'), undefined)
  assert.equal(apiOriginOf(`${API}/ui`), undefined)
  assert.equal(apiOriginOf('http://a:b@127.0.0.1:1'), undefined)
  assert.equal(apiOriginOf('nonsense'), undefined)
})

test('isSafeExternalUrl: https only, no credentials, sane length', () => {
  const rows: Array<[url: unknown, safe: boolean]> = [
    ['https://libp2p.io/', true],
    ['https://example.org/a?b=c#d', true],
    ['http://example.org/', false],
    ['file:///C:/Windows/system32/calc.exe', false],
    ['smb://host/share', false],
    ['ms-settings:', false],
    ['javascript:alert(1)', false],
    ['https://user:pw@example.org/', false],
    [`https://example.org/${'a'.repeat(3000)}`, false],
    ['https://', false],
    [null, false]
  ]
  for (const [url, safe] of rows) assert.equal(isSafeExternalUrl(url), safe, String(url).slice(0, 60))
})

test('isPermissionAllowed: clipboard-sanitized-write and notifications from the API origin, nothing else', () => {
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', `${API}/`, API), true)
  assert.equal(isPermissionAllowed('notifications', `${API}/`, API), true) // calendar reminders
  assert.equal(isPermissionAllowed('notifications', 'https://example.org/', API), false)
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', API, API), true)
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'https://example.org/', API), false)
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', `${API}/`, null), false)
  for (const p of ['clipboard-read', 'media', 'geolocation', 'openExternal', 'fullscreen', 'fileSystem', 'unknown']) {
    assert.equal(isPermissionAllowed(p, `${API}/`, API), false, p)
  }
})

test('isTrustedSender: the top frame of a page on the API origin', () => {
  assert.equal(isTrustedSender({ url: `${API}/#x`, parent: null }, API), true)
  assert.equal(isTrustedSender({ url: `${API}/`, parent: {} }, API), false, 'a subframe')
  assert.equal(isTrustedSender({ url: 'https://evil.example/', parent: null }, API), false)
  assert.equal(isTrustedSender(null, API), false, 'frame gone')
  assert.equal(isTrustedSender({ url: `${API}/`, parent: null }, null), false, 'core down')
})

// ---- IPC validators -------------------------------------------------------------------------------

function codeOf (fn: () => unknown): IpcValidationCode | 'none' {
  try {
    fn()
    return 'none'
  } catch (err) {
    assert.ok(err instanceof IpcValidationError, `threw ${String(err)}`)
    assert.equal(err.name, 'IpcValidationError')
    return err.code
  }
}

test('validatePickFilesArgs: no arguments', () => {
  assert.equal(codeOf(() => { validatePickFilesArgs([]) }), 'none')
  assert.equal(codeOf(() => { validatePickFilesArgs(['/etc']) }), 'bad-arity')
})

test('validatePathArgs (POSIX): rule broken → code', () => {
  const rows: Array<[name: string, args: unknown[], code: IpcValidationCode | 'none']> = [
    ['an absolute path', ['/home/me/Downloads/a.txt'], 'none'],
    ['no argument', [], 'bad-arity'],
    ['two arguments', ['/a', '/b'], 'bad-arity'],
    ['a number', [42], 'not-a-string'],
    ['an object', [{ toString: () => '/etc' }], 'not-a-string'],
    ['null', [null], 'not-a-string'],
    ['empty', [''], 'empty'],
    ['too long', ['/' + 'a'.repeat(MAX_PATH_LENGTH)], 'too-long'],
    ['a NUL', ['/tmp/a\0b'], 'nul-byte'],
    ['relative', ['Downloads/a.txt'], 'not-absolute'],
    ['dot-relative', ['../../etc/passwd'], 'not-absolute'],
    ['a file: URL', ['file:///etc/passwd'], 'not-absolute'],
    ['a network path', ['//server/share/x'], 'network-path']
  ]
  for (const [name, args, code] of rows) {
    assert.equal(codeOf(() => validatePathArgs('revealInFolder', args, path.posix)), code, name)
  }
  assert.equal(validatePathArgs('revealInFolder', ['/home/me/../me/./a.txt'], path.posix), '/home/me/a.txt', 'normalized')
})

test('validatePathArgs (Windows): drive paths yes, UNC and relative no', () => {
  assert.equal(codeOf(() => validatePathArgs('revealInFolder', ['C:\\Users\\me\\a.txt'], path.win32)), 'none')
  assert.equal(codeOf(() => validatePathArgs('revealInFolder', ['\\\\attacker\\share\\a'], path.win32)), 'network-path')
  assert.equal(codeOf(() => validatePathArgs('revealInFolder', ['\\\\?\\UNC\\attacker\\share'], path.win32)), 'network-path')
  assert.equal(codeOf(() => validatePathArgs('revealInFolder', ['C:relative.txt'], path.win32)), 'not-absolute')
  assert.equal(codeOf(() => validatePathArgs('revealInFolder', ['a\\b'], path.win32)), 'not-absolute')
})

test('sanitizePickedPaths keeps only non-empty strings', () => {
  assert.deepEqual(sanitizePickedPaths(['/a', '', 3, null, '/b']), ['/a', '/b'])
})

test('the preload repeats exactly the allow-listed channel names', () => {
  const source = readFileSync(fileURLToPath(new URL('../../main/preload.cts', import.meta.url)), 'utf8')
  const named = new Set([...source.matchAll(/'(tidepool:[a-z-]+)'/g)].map(m => m[1]))
  assert.deepEqual([...named].sort(), [...ALLOWED_IPC_CHANNELS].sort())
  assert.doesNotMatch(source, /exposeInMainWorld\([^)]*ipcRenderer/, 'ipcRenderer itself is never exposed')
  assert.doesNotMatch(source, /ipcRenderer\.(send|on|sendSync)\b/, 'only invoke, on fixed channels')
})

// ---- environment and flags ------------------------------------------------------------------------

test('sanitizeCoreEnv drops the dangerous variables, keeps the rest, changes nothing in place', () => {
  const env = {
    PATH: '/usr/bin',
    HOME: '/home/me',
    DEBUG: 'libp2p:*',
    ELECTRON_RUN_AS_NODE: '1',
    NODE_OPTIONS: '--require /tmp/evil.js',
    node_options: '--import x', // Windows names are case-insensitive
    NODE_PATH: '/tmp',
    LD_PRELOAD: '/tmp/evil.so',
    DYLD_INSERT_LIBRARIES: '/tmp/evil.dylib',
    EMPTY: undefined
  }
  const copy = { ...env }
  const out = sanitizeCoreEnv(env)
  assert.deepEqual(out, { PATH: '/usr/bin', HOME: '/home/me', DEBUG: 'libp2p:*' })
  assert.deepEqual(env, copy)
  for (const name of DANGEROUS_ENV_VARS) assert.equal(sanitizeCoreEnv({ [name]: 'x' })[name], undefined, name)
})

test('parseDesktopArgs picks the core flags out of an Electron command line', () => {
  const argv = ['.', '--enable-logging', '--network', 'test-a', '--bootstrap=/ip4/1.2.3.4/tcp/1/p2p/X', '--no-sandbox',
    '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns', '--data-dir', '/tmp/peer-a', '--api-port', '9999', '--headless']
  assert.deepEqual(parseDesktopArgs(argv), {
    coreFlags: ['--network', 'test-a', '--bootstrap', '/ip4/1.2.3.4/tcp/1/p2p/X', '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns'],
    dataDir: '/tmp/peer-a'
  })
  assert.deepEqual(parseDesktopArgs([]), { coreFlags: [] })
  // A value flag without a value is passed on bare, for the core to report.
  assert.deepEqual(parseDesktopArgs(['--network', '--no-mdns']), { coreFlags: ['--network', '--no-mdns'] })
  assert.deepEqual(parseDesktopArgs(['--data-dir=/x', '--no-mdns=1']), { coreFlags: [], dataDir: '/x' })
})

test('buildCoreArgs: headless, our data dir, any free port, then the user flags', () => {
  assert.deepEqual(buildCoreArgs('/d', ['--no-mdns']), ['--headless', '--data-dir', '/d', '--api-port', '0', '--no-mdns'])
})

// ---- the ready line -------------------------------------------------------------------------------

const READY = { event: 'ready', peerId: '12D3KooWabc', addrs: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWabc'], api: API, network: 'tidepool' }

test('parseReadyLine: the ready event', () => {
  const ready = parseReadyLine(JSON.stringify(READY))
  assert.deepEqual(ready, { ...READY, apiOrigin: API })
  assert.equal(parseReadyLine(`  ${JSON.stringify(READY)}\r`)?.apiOrigin, API)
})

test('parseReadyLine: other lines are not ready lines', () => {
  for (const line of ['', 'starting…', '{', '[1,2]', 'null', '{"event":"peer:connected"}', '{"no":"event"}']) {
    assert.equal(parseReadyLine(line), undefined, line)
  }
})

test('parseReadyLine: a broken ready line is a contract violation', () => {
  const broken: Array<Record<string, unknown>> = [
    { ...READY, peerId: '' },
    { ...READY, peerId: 7 },
    { ...READY, addrs: 'x' },
    { ...READY, addrs: [1] },
    { ...READY, api: 'http://0.0.0.0:1' },
    { ...READY, api: 'http://localhost:43123' },
    { ...READY, api: 'https://127.0.0.1:43123' },
    { ...READY, api: `${API}/ui` },
    { ...READY, network: undefined }
  ]
  for (const obj of broken) {
    assert.throws(() => parseReadyLine(JSON.stringify(obj)), (err: unknown) => err instanceof ReadyLineError && err.name === 'ReadyLineError', JSON.stringify(obj))
  }
})

test('LineSplitter: chunk borders, CRLF, UTF-8 split across chunks, end without newline', () => {
  const s = new LineSplitter()
  const euro = Buffer.from('€') // 3 bytes
  const out = [
    ...s.push('first\r\nsec'),
    ...s.push(Buffer.concat([Buffer.from('ond '), euro.subarray(0, 1)])),
    ...s.push(Buffer.concat([euro.subarray(1), Buffer.from('\n\nlast')]))
  ].map(l => l.line)
  assert.deepEqual(out, ['first', 'second €', ''])
  assert.deepEqual(s.end(), [{ line: 'last', truncated: false }])
})

test('LineSplitter: an overlong line is cut once and its rest dropped', () => {
  const s = new LineSplitter(10)
  const out = [...s.push('0123456789ABC'), ...s.push('DEF\nok\n')]
  assert.deepEqual(out, [{ line: '0123456789', truncated: true }, { line: 'ok', truncated: false }])
  assert.deepEqual(s.end(), [])
})

test('token and UI URL', () => {
  const token = 'PEN81ZfxXLi1TNcN6zDNp8G6Z9Y7RaQkWtIhVAfFGTs'
  assert.equal(parseApiToken(`${token}\n`), token)
  assert.throws(() => parseApiToken(''))
  assert.throws(() => parseApiToken('not a token!'))
  assert.equal(uiUrl(API, token), `${API}/#token=${token}`)
  // What main loads after opening a share link: still a URL the window may navigate to.
  assert.equal(uiUrl(API, token, 'files'), `${API}/#token=${token}&view=files`)
  // A share link from outside rides along for the renderer to ask about (encoded: it has its own ? and #).
  assert.equal(uiUrl(API, token, 'files', 'tidepool://bafk?name=a b#key=k'), `${API}/#token=${token}&view=files&link=tidepool%3A%2F%2Fbafk%3Fname%3Da%20b%23key%3Dk`)
  assert.equal(isAllowedNavigation(uiUrl(API, token, 'files'), API), true)
})

test('redactSecrets: no token in a log line', () => {
  const token = 'KytVWEZ-avAI1PXQCNiMyFH3Jcmsw0wISNT4fV7x5D0'
  assert.equal(redactSecrets(`info UI: ${API}/#token=${token}`), `info UI: ${API}/#token=<redacted>`)
  assert.equal(redactSecrets(`authorization: Bearer ${token}`), 'authorization: Bearer <redacted>')
  assert.equal(redactSecrets(`protocols tidepool.v1, tidepool.bearer.${token}`), 'protocols tidepool.v1, tidepool.bearer.<redacted>')
  assert.equal(redactSecrets('peer 12D3KooWabc connected'), 'peer 12D3KooWabc connected')
})

// ---- wiring, with fakes -----------------------------------------------------------------------------

function fakeDeps (apiOrigin: string | null): HardeningDeps & { opened: string[], logs: string[] } {
  const opened: string[] = []
  const logs: string[] = []
  return {
    opened,
    logs,
    getApiOrigin: () => apiOrigin,
    openExternal: async (url: string) => { opened.push(url) },
    log: (line: string) => { logs.push(line) }
  }
}

class FakeWebContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined
  setWindowOpenHandler (handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler
  }

  /** Emits a navigation event; returns whether it was prevented. */
  navigate (event: string, url: string): boolean {
    let prevented = false
    this.emit(event, { url, preventDefault: () => { prevented = true } }, url)
    return prevented
  }
}

test('hardenWebContents: navigation away is prevented, on the API origin it is not', () => {
  const wc = new FakeWebContents()
  const deps = fakeDeps(API)
  hardenWebContents(wc as never, deps)
  for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
    assert.equal(wc.navigate(event, `${API}/peers`), false, `${event} on origin`)
    assert.equal(wc.navigate(event, 'https://evil.example/#token=x'), true, `${event} away`)
    assert.equal(wc.navigate(event, 'file:///etc/passwd'), true, `${event} to file:`)
  }
  assert.ok(deps.logs.every(l => !l.includes('#token')), 'logs never carry a fragment')
  let prevented = false
  wc.emit('will-attach-webview', { preventDefault: () => { prevented = true } }, {}, {})
  assert.equal(prevented, true, '<webview> refused')
})

test('hardenWebContents: window.open is always denied; https goes to the OS browser', async () => {
  const wc = new FakeWebContents()
  const deps = fakeDeps(API)
  hardenWebContents(wc as never, deps)
  const open = wc.openHandler
  assert.ok(open !== undefined)
  for (const url of ['https://libp2p.io/', 'http://example.org/', 'file:///x', `${API}/`, 'javascript:1']) {
    assert.deepEqual(open({ url }), { action: 'deny' }, url)
  }
  await new Promise(resolve => setImmediate(resolve))
  assert.deepEqual(deps.opened, ['https://libp2p.io/'])
})

test('hardenSession: permission requests and checks', () => {
  let request: ((wc: unknown, permission: string, callback: (ok: boolean) => void, details: { requestingUrl: string }) => void) | undefined
  let check: ((wc: unknown, permission: string, origin: string) => boolean) | undefined
  const session = {
    setPermissionRequestHandler: (h: typeof request) => { request = h },
    setPermissionCheckHandler: (h: typeof check) => { check = h }
  }
  hardenSession(session as never, fakeDeps(API))
  const ask = (permission: string, url: string): boolean => {
    let answer: boolean | undefined
    request?.(null, permission, ok => { answer = ok }, { requestingUrl: url })
    assert.notEqual(answer, undefined, 'the callback is always called')
    return answer === true
  }
  assert.equal(ask('clipboard-sanitized-write', `${API}/`), true)
  assert.equal(ask('media', `${API}/`), false)
  assert.equal(ask('clipboard-sanitized-write', 'https://evil.example/'), false)
  assert.equal(check?.(null, 'clipboard-sanitized-write', `${API}/`), true)
  assert.equal(check?.(null, 'clipboard-read', `${API}/`), false)
})

test('secureWebPreferences: sandboxed, isolated, no Node', () => {
  const prefs = secureWebPreferences('/app/dist/main/preload.cjs')
  assert.equal(prefs.sandbox, true)
  assert.equal(prefs.contextIsolation, true)
  assert.equal(prefs.nodeIntegration, false)
  assert.equal(prefs.webSecurity, true)
  assert.equal(prefs.webviewTag, false)
  assert.equal(prefs.preload, '/app/dist/main/preload.cjs')
})

test('registerIpcHandlers: one handler per allow-listed channel; sender, arguments and saved paths checked', async () => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>()
  const revealed: string[] = []
  const opened: string[] = []
  // What the library names as saved downloads; the second one's app is missing.
  const saved = new Set(['/home/me/Downloads/a.txt', '/home/me/Downloads/b.weird'])
  let dialogs = 0
  const webContents = {}
  const win = { webContents, isDestroyed: () => false }
  let origin: string | null = API
  registerIpcHandlers({
    ipcMain: { handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => { handlers.set(channel, fn) } } as never,
    dialog: { showOpenDialog: async () => { dialogs++; return { canceled: false, filePaths: ['/home/me/a.txt', ''] } } } as never,
    shell: {
      showItemInFolder: (p: string) => { revealed.push(p) },
      openPath: async (p: string) => { opened.push(p); return p.endsWith('.weird') ? 'no application for this type' : '' }
    },
    isSavedFile: async (p: string) => saved.has(p),
    getWindow: () => win as never,
    getApiOrigin: () => origin,
    path: path.posix,
    log: () => {}
  })
  assert.deepEqual([...handlers.keys()].sort(), Object.values(IPC_CHANNELS).sort())

  const trusted = { sender: webContents, senderFrame: { url: `${API}/`, parent: null } }
  const pick = handlers.get(IPC_CHANNELS.pickFiles)
  const reveal = handlers.get(IPC_CHANNELS.revealInFolder)
  const open = handlers.get(IPC_CHANNELS.openPath)
  assert.ok(pick !== undefined && reveal !== undefined && open !== undefined)

  assert.deepEqual(await pick(trusted), ['/home/me/a.txt'])
  await reveal(trusted, '/home/me/Downloads/a.txt')
  assert.deepEqual(revealed, ['/home/me/Downloads/a.txt'])
  // Normalized before the library is asked.
  await open(trusted, '/home/me/Downloads/../Downloads/a.txt')
  assert.deepEqual(opened, ['/home/me/Downloads/a.txt'])
  await assert.rejects(open(trusted, '/home/me/Downloads/b.weird'), (err: unknown) => err instanceof ShellError && err.code === 'open-failed')

  const rejects = async (p: Promise<unknown>, code: IpcValidationCode): Promise<void> => {
    await assert.rejects(p, (err: unknown) => err instanceof IpcValidationError && err.code === code)
  }
  await rejects(reveal(trusted, 'relative/a.txt'), 'not-absolute')
  await rejects(reveal(trusted), 'bad-arity')
  // Only what the library saved: not a picked file, not any other path a page may name.
  await rejects(reveal(trusted, '/home/me/a.txt'), 'not-saved-file')
  await rejects(open(trusted, '/etc/passwd'), 'not-saved-file')
  await rejects(open(trusted, '/usr/bin/xterm'), 'not-saved-file')
  await rejects(open({ sender: webContents, senderFrame: { url: 'https://evil.example/', parent: null } }, '/home/me/Downloads/a.txt'), 'untrusted-sender')
  await rejects(pick(trusted, 'extra'), 'bad-arity')
  await rejects(pick({ sender: webContents, senderFrame: { url: 'https://evil.example/', parent: null } }), 'untrusted-sender')
  await rejects(pick({ sender: webContents, senderFrame: { url: `${API}/`, parent: {} } }), 'untrusted-sender')
  await rejects(pick({ sender: {}, senderFrame: { url: `${API}/`, parent: null } }), 'untrusted-sender')
  await rejects(pick({ sender: webContents, senderFrame: null }), 'untrusted-sender')
  origin = null
  await rejects(reveal(trusted, '/home/me/Downloads/a.txt'), 'untrusted-sender')
  assert.equal(dialogs, 1, 'no dialog was opened for a refused call')
  assert.deepEqual(revealed, ['/home/me/Downloads/a.txt'])
  assert.deepEqual(opened, ['/home/me/Downloads/a.txt', '/home/me/Downloads/b.weird'])
})

test('isSavedFile: only the saved copy of a complete library entry, whatever else the listing holds', () => {
  const entry = (saved: string | null, state = 'complete'): Record<string, unknown> => ({ cid: 'bafy', saved, state, path: '/data/files/content/bafy' })
  const listing = [entry('/home/me/Downloads/a.txt'), entry('/home/me/Downloads/b.txt', 'failed'), entry(null), { junk: true }]
  assert.equal(isSavedFile(listing, '/home/me/Downloads/a.txt', path.posix), true)
  assert.equal(isSavedFile(listing, '/home/me/Downloads/b.txt', path.posix), false, 'not complete')
  assert.equal(isSavedFile(listing, '/data/files/content/bafy', path.posix), false, 'the content store is not a saved file')
  assert.equal(isSavedFile([entry('/home/me/Downloads/./a.txt')], '/home/me/Downloads/a.txt', path.posix), true, 'normalized')
  assert.equal(isSavedFile({ error: { code: 'unauthorized' } }, '/home/me/Downloads/a.txt', path.posix), false, 'not a listing')
  assert.equal(isSavedFile(null, '/x', path.posix), false)
})
