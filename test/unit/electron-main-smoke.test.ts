// The compiled main process (dist/main/main.js) run under plain Node against a stand-in `electron`
// module, with the real compiled core (dist/p2p/cli.js) — the closest this machine gets to running
// the app, since no Electron binary can be installed here. The stand-in records what main does and
// plays a short script: load the UI URL, try to navigate away, open links, call the IPC bridge from
// trusted and untrusted pages — Open and Show in folder on a download the core saved in the Downloads
// folder main gave it — then quit; the test checks every step and that the core is gone.
// Other scripts: the core crashes and is restarted; share links arrive (argv, 'open-url',
// 'second-instance') and become downloads in the real core.
//
// Needs `npm run build` (dist/); skipped, never passed, without it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { formatLink } from '../../p2p/files/link.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const MAIN = join(ROOT, 'dist', 'main', 'main.js')
const CORE = join(ROOT, 'dist', 'p2p', 'cli.js')

// A stand-in for the parts of Electron main.ts uses. Each action is reported as one
// `FAKE {json}` line on stdout (main's own log goes to stderr).
const FAKE_ELECTRON = `
import { EventEmitter } from 'node:events'
import { fork } from 'node:child_process'
import { join } from 'node:path'

const report = (what, data = {}) => process.stdout.write('FAKE ' + JSON.stringify({ what, ...data }) + '\\n')
const makeEvent = (extra = {}) => { const ev = { defaultPrevented: false, ...extra }; ev.preventDefault = () => { ev.defaultPrevented = true }; return ev }
const paths = { appData: process.env.FAKE_APPDATA, downloads: process.env.FAKE_DOWNLOADS }
const scenario = process.env.FAKE_SCENARIO
const corePids = []

class App extends EventEmitter {
  isPackaged = false
  name = 'fake'
  enableSandbox () { report('enableSandbox') }
  setName (name) { this.name = name; report('setName', { name }) }
  getPath (name) { if (paths[name] === undefined) throw new Error('no path ' + name); return paths[name] }
  setPath (name, value) { paths[name] = value; report('setPath', { name, value }) }
  setAppLogsPath () { paths.logs = join(paths.userData, 'logs') }
  requestSingleInstanceLock () { return true }
  setAsDefaultProtocolClient (protocol, path, args) { report('setAsDefaultProtocolClient', { protocol, path, args }); return true }
  whenReady () { return new Promise(resolve => setTimeout(resolve, 10)) }
  getAppPath () { return process.cwd() }
  getVersion () { return '0.0.0' }
  quit () {
    const ev = makeEvent()
    this.emit('before-quit', ev)
    report('quit', { prevented: ev.defaultPrevented })
    if (!ev.defaultPrevented) setTimeout(() => process.exit(0), 10)
  }
  exit (code) { report('exit', { code }); process.exit(code) }
}
export const app = new App()

const handlers = new Map()
export const ipcMain = { handle (channel, fn) { handlers.set(channel, fn); report('ipc.handle', { channel }) }, removeHandler () {} }
const permission = {}
export const session = { defaultSession: {
  setPermissionRequestHandler (h) { permission.request = h },
  setPermissionCheckHandler (h) { permission.check = h }
} }
export const shell = {
  async openExternal (url) { report('openExternal', { url }) },
  showItemInFolder (path) { report('showItemInFolder', { path }) },
  async openPath (path) { report('openPath', { path }); return '' }
}
export const dialog = {
  // 'crash' scenario: answer "Restart" (0); otherwise "Quit" (1).
  async showMessageBox (a, b) { const o = b ?? a; report('showMessageBox', { message: o.message, buttons: o.buttons }); return { response: scenario === 'crash' ? 0 : 1, checkboxChecked: false } },
  showErrorBox (title, content) { report('showErrorBox', { title, content }) },
  async showOpenDialog () { return { canceled: false, filePaths: ['/tmp/picked.txt'] } }
}
export const utilityProcess = {
  fork (modulePath, args, options) {
    const child = fork(modulePath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: options.env, cwd: options.cwd })
    corePids.push(child.pid)
    report('utilityProcess.fork', { modulePath, args, serviceName: options.serviceName, stdio: options.stdio,
      hasNodeOptions: 'NODE_OPTIONS' in options.env, hasRunAsNode: 'ELECTRON_RUN_AS_NODE' in options.env, pid: child.pid })
    return {
      get pid () { return child.pid }, stdout: child.stdout, stderr: child.stderr,
      kill () { report('core.kill'); return child.kill('SIGTERM') },
      on (event, listener) {
        if (event === 'exit') child.on('exit', code => { report('core.exit', { code }); listener(code ?? 143) })
        else if (event === 'spawn') child.on('spawn', listener)
        return this
      }
    }
  }
}

class WebContents extends EventEmitter {
  setWindowOpenHandler (h) { this.openHandler = h }
  navigate (event, url) { const ev = makeEvent({ url }); this.emit(event, ev, url); return ev.defaultPrevented }
}

let loads = 0
export class BrowserWindow extends EventEmitter {
  constructor (options) {
    super()
    this.webContents = new WebContents()
    report('BrowserWindow', { webPreferences: options.webPreferences })
    app.emit('web-contents-created', makeEvent(), this.webContents)
    this.destroyed = false
  }
  isDestroyed () { return this.destroyed }
  isMinimized () { return false }
  restore () {}
  focus () {}
  show () { report('show') }
  close () {}
  async loadURL (url) {
    report('loadURL', { url })
    setTimeout(() => this.emit('ready-to-show'), 5)
    const n = ++loads
    const script = scenario === 'crash' ? crashScript : scenario === 'links' ? linksScript : play
    setTimeout(() => { script(this, url, n).catch(err => { report('script-error', { message: err.stack }); process.exit(99) }) }, 20)
  }
}

// The core dies under the window; main offers a restart, gets it, and loads the new core's URL.
async function crashScript (win, url, n) {
  if (n === 1) { report('killing-core', { pid: corePids[0] }); process.kill(corePids[0], 'SIGKILL'); return }
  const page = await fetch(new URL(url).origin + '/')
  report('fetch-after-restart', { status: page.status })
  app.quit()
}

// Load 1 is the start; each opened link then loads the Files view (loads 2, 3, 4). Links come from
// argv (FAKE_LINKS[0]), then 'open-url' (FAKE_LINKS[1]), then 'second-instance' (FAKE_LINKS[2]).
async function linksScript (win, url, n) {
  if (n === 1) return
  const origin = new URL(url).origin
  const token = new URLSearchParams(new URL(url).hash.slice(1)).get('token')
  const files = await (await fetch(origin + '/api/files', { headers: { authorization: 'Bearer ' + token } })).json()
  report('files', { n, url, files: files.map(f => ({ cid: f.cid, name: f.name, state: f.state })) })
  const links = JSON.parse(process.env.FAKE_LINKS)
  if (n === 2) {
    const ev = makeEvent()
    app.emit('open-url', ev, links[1])
    report('open-url', { prevented: ev.defaultPrevented })
  } else if (n === 3) {
    app.emit('second-instance', makeEvent(), ['/opt/Tidepool/tidepool', '--no-sandbox', links[2]], '/', {})
  } else {
    app.quit()
  }
}

async function play (win, url, n) {
  if (n !== 1) return
  const origin = new URL(url).origin
  const page = await fetch(origin + '/')
  report('fetch', { status: page.status, csp: page.headers.get('content-security-policy') !== null })
  report('navigate', {
    sameOrigin: win.webContents.navigate('will-navigate', origin + '/peers'),
    away: win.webContents.navigate('will-navigate', 'https://evil.example/'),
    frameAway: win.webContents.navigate('will-frame-navigate', 'http://localhost:1/')
  })
  report('windowOpen', {
    https: win.webContents.openHandler({ url: 'https://libp2p.io/' }).action,
    http: win.webContents.openHandler({ url: 'http://example.org/' }).action
  })
  let granted
  permission.request(win.webContents, 'media', ok => { granted = ok }, { requestingUrl: origin + '/' })
  report('permission', { media: granted, clipboard: permission.check(win.webContents, 'clipboard-sanitized-write', origin + '/', {}) })
  const trusted = { sender: win.webContents, senderFrame: { url: origin + '/', parent: null } }
  const untrusted = { sender: win.webContents, senderFrame: { url: 'https://evil.example/', parent: null } }
  const call = async (channel, event, ...args) => {
    try { return { ok: await handlers.get(channel)(event, ...args) } } catch (err) { return { error: err.code ?? err.message } }
  }
  // A download whose bytes are in its link completes at once: saved in the Downloads folder main named.
  const token = new URLSearchParams(new URL(url).hash.slice(1)).get('token')
  const api = async (path, body) => (await fetch(origin + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })).json()
  const started = await api('/api/files/download', { link: process.env.FAKE_SAVE_LINK })
  let entry = started
  for (let i = 0; i < 200 && entry.state !== 'complete'; i++) {
    await new Promise(resolve => setTimeout(resolve, 50))
    entry = await api('/api/files/' + started.cid)
  }
  report('saved', { state: entry.state, saved: entry.saved })
  report('ipc', {
    pick: await call('tidepool:pick-files', trusted),
    open: await call('tidepool:open-path', trusted, entry.saved),
    reveal: await call('tidepool:reveal-in-folder', trusted, entry.saved),
    revealPicked: await call('tidepool:reveal-in-folder', trusted, '/tmp/picked.txt'),
    openOther: await call('tidepool:open-path', trusted, '/etc/passwd'),
    revealRelative: await call('tidepool:reveal-in-folder', trusted, 'picked.txt'),
    openUntrusted: await call('tidepool:open-path', untrusted, entry.saved),
    untrusted: await call('tidepool:pick-files', untrusted)
  })
  app.quit()
}

export const contextBridge = { exposeInMainWorld () {} }
export const ipcRenderer = { invoke: async () => undefined }
`

const HOOKS = `
export async function resolve (specifier, context, next) {
  if (specifier === 'electron') return { url: process.env.FAKE_ELECTRON_URL, shortCircuit: true }
  return next(specifier, context)
}
`

const REGISTER = `
import { register } from 'node:module'
register(new URL('./hooks.mjs', import.meta.url))
`

interface Report { what: string, [key: string]: any }

/** Runs dist/main/main.js against the stand-in; returns what it reported. */
async function runMain (dir: string, scenario: string, links: string[] = [], extraArgs: string[] = [], saveLink = '') {
  await writeFile(join(dir, 'electron.mjs'), FAKE_ELECTRON)
  await writeFile(join(dir, 'hooks.mjs'), HOOKS)
  await writeFile(join(dir, 'register.mjs'), REGISTER)
  const appData = join(dir, 'appData')
  const downloads = join(dir, 'Downloads')
  const dataDir = join(dir, 'peer')
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, MAIN,
    '--network', 'test-smoke', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--data-dir', dataDir, '--enable-logging', ...links.slice(0, 1), ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, FAKE_SCENARIO: scenario, FAKE_APPDATA: appData, FAKE_DOWNLOADS: downloads, FAKE_SAVE_LINK: saveLink, FAKE_ELECTRON_URL: pathToFileURL(join(dir, 'electron.mjs')).href, FAKE_LINKS: JSON.stringify(links), NODE_OPTIONS: '', ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += String(c) })
  child.stderr.on('data', (c: Buffer) => { stderr += String(c) })
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out\n${stdout}\n${stderr}`)) }, 30_000)
    child.on('exit', c => { clearTimeout(timer); resolve(c) })
  })
  const reports: Report[] = stdout.split('\n').filter(l => l.startsWith('FAKE ')).map(l => JSON.parse(l.slice(5)) as Report)
  const one = (what: string): Report => {
    const r = reports.find(x => x.what === what)
    assert.ok(r !== undefined, `no "${what}" in:\n${stdout}\n--- stderr ---\n${stderr}`)
    return r
  }
  return { code, reports, one, stdout, stderr, dataDir, downloads }
}

test('the compiled main process starts the core, shows the UI, guards it and stops the core on quit', async (t) => {
  if (!existsSync(MAIN) || !existsSync(CORE)) {
    t.skip('skipped: dist/ is not built (npm run build)')
    return
  }
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-main-smoke-'))
  try {
    // Bytes in the CID itself: the download needs no other peer. A file of its name is already there.
    const bytes = new TextEncoder().encode('saved by the core')
    const saveLink = formatLink({ cid: CID.createV1(raw.code, identity.digest(bytes)), name: 'note.txt' })
    await mkdir(join(dir, 'Downloads'))
    await writeFile(join(dir, 'Downloads', 'note.txt'), 'mine')
    const { code, reports, one, stderr, dataDir, downloads } = await runMain(dir, 'script', [], [], saveLink)
    assert.equal(code, 0, stderr)

    assert.ok(reports.some(r => r.what === 'enableSandbox'))
    assert.deepEqual(one('setPath'), { what: 'setPath', name: 'userData', value: dataDir })

    const forked = one('utilityProcess.fork')
    assert.equal(forked.modulePath, CORE)
    assert.deepEqual(forked.args, ['--headless', '--data-dir', dataDir, '--api-port', '0', '--downloads-dir', downloads,
      '--network', 'test-smoke', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'])
    assert.equal(forked.serviceName, 'Tidepool core')
    assert.equal(forked.stdio, 'pipe')
    assert.equal(forked.hasNodeOptions, false)
    assert.equal(forked.hasRunAsNode, false)

    const prefs = one('BrowserWindow').webPreferences
    assert.equal(prefs.sandbox, true)
    assert.equal(prefs.contextIsolation, true)
    assert.equal(prefs.nodeIntegration, false)
    assert.equal(prefs.webSecurity, true)
    assert.equal(prefs.preload, join(ROOT, 'dist', 'main', 'preload.cjs'))
    assert.ok(existsSync(prefs.preload), 'the preload is built')

    const loaded = one('loadURL').url as string
    assert.match(loaded, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+$/)
    assert.ok([200, 503].includes(one('fetch').status), 'the core serves the UI (503 until the renderer is built)')
    assert.ok(reports.some(r => r.what === 'show'))

    assert.deepEqual(one('navigate'), { what: 'navigate', sameOrigin: false, away: true, frameAway: true })
    assert.deepEqual(one('windowOpen'), { what: 'windowOpen', https: 'deny', http: 'deny' })
    assert.deepEqual(reports.filter(r => r.what === 'openExternal').map(r => r.url), ['https://libp2p.io/'])
    assert.deepEqual(one('permission'), { what: 'permission', media: false, clipboard: true })

    // Saved beside the file of its name, never over it; Open and Show in folder get that file, nothing else.
    const saved = join(downloads, 'note (1).txt')
    assert.deepEqual(one('saved'), { what: 'saved', state: 'complete', saved })
    assert.equal(await readFile(saved, 'utf8'), 'saved by the core')
    assert.equal(await readFile(join(downloads, 'note.txt'), 'utf8'), 'mine')
    const ipc = one('ipc')
    assert.deepEqual(ipc.pick, { ok: ['/tmp/picked.txt'] })
    assert.deepEqual(ipc.open, {})
    assert.deepEqual(ipc.reveal, {})
    assert.deepEqual(ipc.revealPicked, { error: 'not-saved-file' })
    assert.deepEqual(ipc.openOther, { error: 'not-saved-file' })
    assert.deepEqual(ipc.revealRelative, { error: 'not-absolute' })
    assert.deepEqual(ipc.openUntrusted, { error: 'untrusted-sender' })
    assert.deepEqual(ipc.untrusted, { error: 'untrusted-sender' })
    assert.deepEqual(reports.filter(r => r.what === 'openPath').map(r => r.path), [saved])
    assert.deepEqual(reports.filter(r => r.what === 'showItemInFolder').map(r => r.path), [saved])

    // Quit: the first before-quit is held while the core stops (SIGTERM, clean exit), then the app quits.
    const quits = reports.filter(r => r.what === 'quit').map(r => r.prevented)
    assert.deepEqual(quits, [true, false])
    const order = reports.map(r => r.what)
    assert.ok(order.indexOf('core.kill') < order.indexOf('core.exit'))
    assert.equal(one('core.exit').code, 0, 'the core exited cleanly on SIGTERM')
    assert.ok(!reports.some(r => r.what === 'showMessageBox'), 'no crash dialog for a requested stop')
    assert.throws(() => process.kill(forked.pid as number, 0), 'the core process is gone')
    assert.doesNotMatch(stderr, /#token=[A-Za-z0-9_-]{20,}/, 'the token is not logged')

    const logs = await readdir(join(dataDir, 'logs'))
    assert.ok(logs.includes('desktop.log'))
    assert.ok(existsSync(join(dataDir, 'api-token')))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('when the core crashes, main offers a restart and loads the new core', async (t) => {
  if (!existsSync(MAIN) || !existsSync(CORE)) {
    t.skip('skipped: dist/ is not built (npm run build)')
    return
  }
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-main-crash-'))
  try {
    const { code, reports, one, stderr } = await runMain(dir, 'crash')
    assert.equal(code, 0, stderr)
    const forks = reports.filter(r => r.what === 'utilityProcess.fork')
    assert.equal(forks.length, 2, 'the core was started again')
    const box = one('showMessageBox')
    assert.match(box.message, /stopped unexpectedly/)
    assert.deepEqual(box.buttons, ['Restart', 'Quit'])
    const urls = reports.filter(r => r.what === 'loadURL').map(r => r.url as string)
    assert.equal(urls.length, 2, 'the window loaded the restarted core')
    assert.ok([200, 503].includes(one('fetch-after-restart').status))
    for (const f of forks) assert.throws(() => process.kill(f.pid as number, 0), `core ${f.pid} is gone`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('share links from argv, open-url and a second instance each open the Files view to ask first, and start nothing in the core', async (t) => {
  if (!existsSync(MAIN) || !existsSync(CORE)) {
    t.skip('skipped: dist/ is not built (npm run build)')
    return
  }
  // Content ids of bytes nobody has: nothing may start downloading until the user says yes in the page.
  const cids = await Promise.all(['one', 'two', 'three'].map(async text => CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(text)))))
  const links = [
    `TIDEPOOL://${cids[0]!.toString()}?name=one.txt&size=3`,
    formatLink({ cid: cids[1]!, name: 'two.txt', key: 'B'.repeat(43) }),
    formatLink({ cid: cids[2]!, name: 'three.txt' })
  ]
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-main-links-'))
  try {
    const { code, reports, one, stderr } = await runMain(dir, 'links', links, ['--', 'tidepool://not-a-cid'])
    assert.equal(code, 0, stderr)
    assert.match(stderr, /ignored an invalid tidepool:\/\/ link/)
    assert.deepEqual(one('setAsDefaultProtocolClient'), { what: 'setAsDefaultProtocolClient', protocol: 'tidepool' })
    assert.deepEqual(one('open-url'), { what: 'open-url', prevented: true })

    const seen = reports.filter(r => r.what === 'files')
    assert.deepEqual(seen.map(r => r.n), [2, 3, 4], 'each link loaded the Files view once')
    // Each opens Files holding its link for the user's yes; nothing is downloading in the core yet.
    seen.forEach((r, i) => {
      const fragment = new URLSearchParams(new URL(r.url as string).hash.slice(1))
      assert.match(r.url as string, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+&view=files&link=/)
      assert.equal(fragment.get('view'), 'files')
      assert.ok(fragment.get('link')?.toLowerCase().startsWith(`tidepool://${cids[i]!.toString()}`), `link ${i} in the fragment: ${fragment.get('link')}`)
      assert.deepEqual(r.files, [], 'no download before the user confirms')
    })
    assert.ok(!reports.some(r => r.what === 'showMessageBox'), 'no error dialog')
    assert.doesNotMatch(stderr, /B{43}/, 'a private share\'s key is not logged')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
