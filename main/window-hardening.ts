// All of the desktop window's hardening, in one place (after Element's webcontents-handler and
// Electron's security checklist). The rules themselves are the pure functions of
// navigation-policy.ts; this module wires them into Electron. Electron is only a type here —
// objects come in as arguments — so it is tested under plain Node with fakes.
import type { App, BrowserWindowConstructorOptions, Event, Session, WebContents, WebPreferences } from 'electron'
import { isAllowedNavigation, isPermissionAllowed, isSafeExternalUrl } from './navigation-policy.ts'

export interface HardeningDeps {
  /** The API origin the window may show (`http://127.0.0.1:PORT`), or null while the core is down. */
  getApiOrigin: () => string | null
  /** Hands a URL to the OS browser (`shell.openExternal`). Only ever called with https URLs. */
  openExternal: (url: string) => Promise<void>
  log: (line: string) => void
}

/**
 * The web preferences of every Tidepool window: sandboxed, isolated, no Node, web security on,
 * no <webview>, no drag-and-drop navigation. Only the preload gets the (narrow) bridge.
 */
export function secureWebPreferences (preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false
  }
}

export function mainWindowOptions (preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Tidepool',
    backgroundColor: '#0b1e2d',
    webPreferences: secureWebPreferences(preloadPath)
  }
}

/**
 * Hardens one webContents: navigation stays on the API origin, new windows are never created (https
 * links go to the OS browser), and <webview> cannot be attached.
 */
export function hardenWebContents (contents: WebContents, deps: HardeningDeps): void {
  const guard = (kind: string) => (event: Event<{ url: string }>, legacyUrl?: string): void => {
    // Electron 25+ gives the URL on the event; older versions only as the second argument.
    const url = typeof event.url === 'string' ? event.url : legacyUrl
    if (isAllowedNavigation(url, deps.getApiOrigin())) return
    event.preventDefault()
    deps.log(`tidepool: blocked ${kind} to ${describeUrl(url)}`)
  }
  contents.on('will-navigate', guard('navigation'))
  contents.on('will-frame-navigate', guard('frame navigation'))
  contents.on('will-redirect', guard('redirect'))

  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    deps.log('tidepool: blocked a <webview>')
  })

  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      deps.openExternal(url).catch((err: unknown) => {
        deps.log(`tidepool: could not open ${describeUrl(url)} in the browser: ${(err as Error).message}`)
      })
    } else {
      deps.log(`tidepool: blocked a new window for ${describeUrl(url)}`)
    }
    return { action: 'deny' }
  })
}

/** Denies every permission except the allowed ones (see navigation-policy.ts), for the API origin only. */
export function hardenSession (session: Session, deps: HardeningDeps): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl, deps.getApiOrigin())
    if (!allowed) deps.log(`tidepool: denied permission ${permission} to ${describeUrl(details.requestingUrl)}`)
    callback(allowed)
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return isPermissionAllowed(permission, requestingOrigin, deps.getApiOrigin())
  })
}

/** Hardens every webContents the app ever creates (windows, devtools, anything), as it is created. */
export function installHardening (app: App, deps: HardeningDeps): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, deps)
  })
}

/** A URL for a log line: its origin only (paths and fragments may carry tokens). */
function describeUrl (url: unknown): string {
  if (typeof url !== 'string') return '(no URL)'
  try {
    const u = new URL(url)
    return u.origin !== 'null' ? u.origin : `${u.protocol}…`
  } catch {
    return '(invalid URL)'
  }
}
