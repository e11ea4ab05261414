// The one allow-list of IPC channels between the preload and main, and the typed bridge the preload
// exposes as `window.tidepoolDesktop`. Pure: no electron, no I/O.
//
// The renderer reaches the core only through the local API (HTTP + WebSocket), as in headless mode;
// this bridge carries only native extras a web page cannot do. In a plain browser (headless mode)
// `window.tidepoolDesktop` is undefined, so the renderer must feature-detect it.
//
// A sandboxed preload cannot `require` local files at run time, so main/preload.cts repeats these
// names in a constant typed as `IpcChannels`: the compiler rejects any name or key that differs,
// and test/unit/electron-hardening.test.ts compares the two at run time as well.

export const IPC_CHANNELS = {
  pickFiles: 'tidepool:pick-files',
  revealInFolder: 'tidepool:reveal-in-folder',
  openPath: 'tidepool:open-path'
} as const

export type IpcChannels = typeof IPC_CHANNELS
export type IpcChannelKey = keyof IpcChannels
export type IpcChannel = IpcChannels[IpcChannelKey]

/** Every channel main handles; anything else is never registered and so never answered. */
export const ALLOWED_IPC_CHANNELS: ReadonlySet<string> = new Set<string>(Object.values(IPC_CHANNELS))

/** The name under which the preload exposes the bridge: `window.tidepoolDesktop`. */
export const DESKTOP_BRIDGE_KEY = 'tidepoolDesktop'

/** What `window.tidepoolDesktop` offers the renderer: typed functions, nothing else. */
export interface TidepoolDesktopApi {
  /** Opens the native "open file" dialog; resolves to the chosen absolute paths ([] if cancelled). */
  pickFiles (): Promise<string[]>
  /**
   * Shows a saved download in the OS file manager. `path` must be one the library names as `saved`
   * (FileEntry.saved); main rejects anything else.
   */
  revealInFolder (path: string): Promise<void>
  /** Opens a saved download with the OS's app for its type; the same rule on `path`. */
  openPath (path: string): Promise<void>
}
