// The preload of the Tidepool window. CommonJS because sandboxed preloads cannot be ES modules;
// compiled to dist/main/preload.cjs. It exposes `window.tidepoolDesktop` with exactly three typed
// functions for native extras — never ipcRenderer itself, never a generic "send" or "invoke".
// Everything else the UI does goes through the core's local API, as in a plain browser.
//
// A sandboxed preload can `require` only Electron's own modules, not our files, so the channel
// names are repeated here; `CHANNELS: IpcChannels` makes the compiler reject any name or key that
// differs from the allow-list in ipc-channels.ts (and a unit test compares them too).
// `require`, not `import`: this file is CommonJS, and verbatimModuleSyntax keeps ESM syntax out of it.
const { contextBridge, ipcRenderer }: typeof import('electron') = require('electron')
import type { DESKTOP_BRIDGE_KEY, IpcChannels, TidepoolDesktopApi } from './ipc-channels.ts'

const CHANNELS: IpcChannels = {
  pickFiles: 'tidepool:pick-files',
  revealInFolder: 'tidepool:reveal-in-folder',
  openPath: 'tidepool:open-path'
}

const BRIDGE_KEY: typeof DESKTOP_BRIDGE_KEY = 'tidepoolDesktop'
const MAX_PATH_LENGTH = 4096

/** main validates again; this only fails fast with a clear message. */
function checkPath (name: string, path: unknown): void {
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH) {
    throw new TypeError(`${name}: path must be a non-empty string`)
  }
}

const api: TidepoolDesktopApi = {
  async pickFiles (): Promise<string[]> {
    const result: unknown = await ipcRenderer.invoke(CHANNELS.pickFiles)
    return Array.isArray(result) ? result.filter((p): p is string => typeof p === 'string') : []
  },
  async revealInFolder (path: string): Promise<void> {
    checkPath('revealInFolder', path)
    await ipcRenderer.invoke(CHANNELS.revealInFolder, path)
  },
  async openPath (path: string): Promise<void> {
    checkPath('openPath', path)
    await ipcRenderer.invoke(CHANNELS.openPath, path)
  }
}

contextBridge.exposeInMainWorld(BRIDGE_KEY, Object.freeze(api))
