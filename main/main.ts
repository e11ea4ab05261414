// Electron's main process for Tidepool (ES module; compiled to dist/main/main.js, package.json "main").
//
// It does four things and nothing else: start the core (p2p/cli.ts, compiled to dist/p2p/cli.js) in
// a utility process and watch it (core-process.ts); show one hardened window on the core's local API
// (window-hardening.ts), which loads `${api}/#token=<token>` exactly like a browser does in headless
// mode; answer the native extras of the preload bridge (ipc-handlers.ts); and download the
// tidepool:// share links the OS hands over — in argv, from a second instance, or by 'open-url'
// (open-links.ts).
//
// Flags: `--network NAME`, `--bootstrap MULTIADDR`, `--listen MULTIADDR`, `--no-mdns` are passed on to
// the core; `--data-dir DIR` selects another profile (its own data, window state and single-instance
// lock — e.g. two peers on one machine). Anything else (Chromium switches) is left to Chromium.
import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess, type MessageBoxOptions } from 'electron'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path, { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDesktopArgs, uiUrl } from './core-protocol.ts'
import { CoreStartError, createCoreProcess, type CoreExit, type CoreRunning } from './core-process.ts'
import { registerIpcHandlers } from './ipc-handlers.ts'
import { isSavedFile } from './saved-files.ts'
import { openLogFile } from './log-file.ts'
import { LINK_SCHEME, LinkInbox, linksInArgv, openableLink } from './open-links.ts'
import { hardenSession, installHardening, mainWindowOptions, type HardeningDeps } from './window-hardening.ts'

const APP_NAME = 'Tidepool'
/** Lines of the core's stderr an error dialog shows (the log file has all of them). */
const DIALOG_TAIL_LINES = 12
/** How long main waits for the core's library before refusing to open or show a file. */
const LIBRARY_TIMEOUT_MS = 5_000

const CORE_ENTRY = fileURLToPath(new URL('../p2p/cli.js', import.meta.url))
const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url))

const args = parseDesktopArgs(process.argv.slice(1))

// Every renderer sandboxed, whatever a window asks for.
app.enableSandbox()
// The data dir is app.getPath('userData'): the same folder the headless core uses by default
// (p2p/config.ts defaultDataDir) — <appData>/Tidepool — unless --data-dir picks another one.
// Chromium's own files (caches, local storage) go to a subfolder, apart from the core's.
app.setName(APP_NAME)
const dataDir = args.dataDir !== undefined ? resolve(args.dataDir) : join(app.getPath('appData'), APP_NAME)
app.setPath('userData', dataDir)
app.setPath('sessionData', join(dataDir, 'Electron'))

if (!app.requestSingleInstanceLock()) {
  // Another Tidepool runs on this data dir; it gets focused through 'second-instance'.
  app.quit()
} else {
  run().catch((err: unknown) => {
    dialog.showErrorBox('Tidepool', `Tidepool failed: ${(err as Error).stack ?? String(err)}`)
    app.exit(1)
  })
}

async function run (): Promise<void> {
  app.setAppLogsPath()
  const log = openLogFile(app.getPath('logs'))
  const write = (line: string): void => { log.write(line) }

  let win: BrowserWindow | null = null
  let running: CoreRunning | null = null
  let quitting = false
  let shutdownDone = false
  let shutdown: Promise<void> | undefined

  const getApiOrigin = (): string | null => running?.ready.apiOrigin ?? null
  const hardening: HardeningDeps = {
    getApiOrigin,
    openExternal: url => shell.openExternal(url),
    log: write
  }
  // Before any webContents exists, so that none escapes it.
  installHardening(app, hardening)

  // Share links wait here until the core is up; each then becomes a download and shows the Files view.
  const inbox = new LinkInbox({
    log: write,
    failed: (err) => {
      void showMessage({ type: 'error', title: 'Tidepool', message: 'Tidepool could not open the link.', detail: err.message, buttons: ['OK'], noLink: true })
    }
  })
  // In development (`electron .`) the OS must start Electron with the app's folder, then the link.
  const registered = process.defaultApp === true
    ? app.setAsDefaultProtocolClient(LINK_SCHEME, process.execPath, [resolve(process.argv[1] ?? '.')])
    : app.setAsDefaultProtocolClient(LINK_SCHEME)
  if (!registered) write(`tidepool: could not register as the handler of ${LINK_SCHEME}:// links`)
  // macOS: registered before 'ready', which a link that launches the app precedes.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    const link = openableLink(url, write)
    if (link !== null) void inbox.add([link])
  })
  // Windows and Linux: a link that launched the app is an argument.
  void inbox.add(linksInArgv(process.argv, write))

  const core = createCoreProcess({
    fork: (modulePath, forkArgs, options) => utilityProcess.fork(modulePath, forkArgs, options),
    readFile: file => readFile(file, 'utf8'),
    killHard: pid => { process.kill(pid, 'SIGKILL') },
    log: write,
    env: process.env
    // Finished downloads go to the user's Downloads folder unless a --downloads-dir flag (after it) or
    // the Files view's setting says otherwise.
  }, { modulePath: CORE_ENTRY, dataDir, coreFlags: ['--downloads-dir', app.getPath('downloads'), ...args.coreFlags] })

  app.on('second-instance', (_event, argv) => {
    focusWindow()
    void inbox.add(linksInArgv(argv, write))
  })

  app.on('activate', () => {
    if ((win === null || win.isDestroyed()) && running !== null) showWindow(running.url)
  })

  app.on('window-all-closed', () => { app.quit() })

  // Stop the core (SIGTERM, then a kill after a timeout) before the app goes away.
  app.on('before-quit', (event) => {
    quitting = true
    inbox.down()
    if (shutdownDone) return
    event.preventDefault()
    shutdown ??= core.stop()
      .catch((err: unknown) => { write(`tidepool: stopping the core failed: ${(err as Error).message}`) })
      .then(() => log.close())
      .finally(() => {
        shutdownDone = true
        app.quit()
      })
  })

  app.on('render-process-gone', (_event, _contents, details) => {
    write(`tidepool: a renderer went away (${details.reason}, exit code ${details.exitCode})`)
  })

  core.onUnexpectedExit((exit) => { void onCoreCrash(exit) })

  await app.whenReady()
  hardenSession(session.defaultSession, hardening)
  registerIpcHandlers({
    ipcMain,
    dialog,
    shell,
    isSavedFile: async (file) => {
      if (running === null) return false
      const res = await fetch(`${running.ready.apiOrigin}/api/files`, {
        headers: { authorization: `Bearer ${running.token}` },
        signal: AbortSignal.timeout(LIBRARY_TIMEOUT_MS)
      }).catch(() => undefined)
      return res?.ok === true && isSavedFile(await res.json().catch(() => null), file, path)
    },
    getWindow: () => win,
    getApiOrigin,
    path,
    log: write
  })

  if (!await bringUpCore()) app.quit()

  function showWindow (url: string): void {
    if (win === null || win.isDestroyed()) {
      const created = new BrowserWindow(mainWindowOptions(PRELOAD))
      created.once('ready-to-show', () => { created.show() })
      created.on('closed', () => { if (win === created) win = null })
      win = created
    }
    win.loadURL(url).catch((err: unknown) => {
      write(`tidepool: the window could not load the UI: ${(err as Error).message}`)
    })
  }

  function focusWindow (): void {
    if (win === null || win.isDestroyed()) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  /**
   * Brings the window up on the Files view asking whether to download the link: nothing starts until
   * the user says yes there (a web page must not start downloads by itself).
   */
  async function openLink (core: CoreRunning, link: string): Promise<void> {
    // The token rides along in case the first load has not committed yet (a link at cold start);
    // on a loaded page this is a same-document fragment navigation (renderer: hashchange).
    showWindow(uiUrl(core.ready.apiOrigin, core.token, 'files', link))
    focusWindow()
  }

  function showMessage (options: MessageBoxOptions): Promise<{ response: number }> {
    return win !== null && !win.isDestroyed() ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)
  }

  function detail (tail: readonly string[]): string {
    const lines = tail.slice(-DIALOG_TAIL_LINES)
    return (lines.length > 0 ? `The core said:\n${lines.join('\n')}\n\n` : '') + `Full log: ${log.path}`
  }

  /** Starts the core and shows the window; on failure asks to try again. False: the user gave up. */
  async function bringUpCore (): Promise<boolean> {
    if (!existsSync(CORE_ENTRY)) {
      write(`tidepool: ${CORE_ENTRY} is missing`)
      dialog.showErrorBox('Tidepool cannot start', `The Tidepool core is missing (${CORE_ENTRY}).\nBuild it with "npm run build" and start again.`)
      return false
    }
    for (;;) {
      try {
        const started = await core.start()
        running = started
        showWindow(started.url)
        void inbox.ready(link => openLink(started, link))
        return true
      } catch (err) {
        running = null
        if (quitting) return false
        write(`tidepool: the core did not start: ${(err as Error).message}`)
        const { response } = await showMessage({
          type: 'error',
          title: 'Tidepool',
          message: 'Tidepool could not start its core.',
          detail: `${(err as Error).message}.\n\n${detail(err instanceof CoreStartError ? err.stderrTail : core.stderrTail())}`,
          buttons: ['Try again', 'Quit'],
          defaultId: 0,
          cancelId: 1,
          noLink: true
        })
        if (response !== 0 || quitting) return false
      }
    }
  }

  async function onCoreCrash (exit: CoreExit): Promise<void> {
    running = null
    inbox.down()
    if (quitting) return
    write(`tidepool: the core stopped unexpectedly (exit code ${exit.code})`)
    const { response } = await showMessage({
      type: 'error',
      title: 'Tidepool',
      message: `The Tidepool core stopped unexpectedly (exit code ${exit.code}).`,
      detail: `Peers, transfers and the API are down until it restarts.\n\n${detail(exit.stderrTail)}`,
      buttons: ['Restart', 'Quit'],
      defaultId: 0,
      cancelId: 1,
      noLink: true
    })
    if (quitting) return
    if (response !== 0 || !await bringUpCore()) app.quit()
  }
}
