// A minimal, hand-written declaration of the part of Electron's API that main/ uses, so that
// `tsc -p tsconfig.build.json` type-checks and emits on machines where the optional `electron`
// package is not installed (no Electron binary can be downloaded there, so npm drops it).
//
// How this coexists with the real types (checked against electron@41's electron.d.ts):
// - Without `electron` installed, this ambient module is the only declaration of 'electron'.
// - With `electron` installed, its electron.d.ts also declares `module 'electron'`, as
//   `export = Electron.CrossProcessExports`. The two declarations merge, and an `export =` wins over
//   the named exports below: every import of 'electron' then gets the REAL types, so main/ is checked
//   against the real API. The merge itself is reported (TS2309) inside the two .d.ts files only, and
//   the project's `skipLibCheck: true` (tsconfig.json) leaves declaration files unchecked, so nothing
//   is reported. Keep `skipLibCheck: true`; without it, delete this file once electron is installed.
// - Consequence: anything used by main/ must exist with the same shape in Electron's real API. Add
//   members here by copying their signature from Electron's electron.d.ts, never by inventing one.
//   Do not declare a global `Electron` namespace here: it would merge with the real one.
// A checked-in declaration file is never emitted, so nothing of it reaches dist/.

declare module 'electron' {
  import { EventEmitter } from 'node:events'

  // ---- shared ---------------------------------------------------------------------------------

  /** Electron's event object: the event's own parameters plus preventDefault. */
  export type Event<Params extends object = {}> = {
    preventDefault: () => void
    readonly defaultPrevented: boolean
  } & Params

  export interface WebFrameMain {
    readonly url: string
    readonly origin: string
    readonly parent: WebFrameMain | null
    readonly top: WebFrameMain | null
  }

  // ---- app ------------------------------------------------------------------------------------

  export interface RenderProcessGoneDetails {
    reason: 'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure' | 'memory-eviction'
    exitCode: number
  }

  export interface App extends EventEmitter {
    on (event: 'web-contents-created', listener: (event: Event, webContents: WebContents) => void): this
    on (event: 'second-instance', listener: (event: Event, argv: string[], workingDirectory: string, additionalData: unknown) => void): this
    on (event: 'before-quit', listener: (event: Event) => void): this
    on (event: 'will-quit', listener: (event: Event) => void): this
    on (event: 'window-all-closed', listener: () => void): this
    on (event: 'activate', listener: (event: Event, hasVisibleWindows: boolean) => void): this
    on (event: 'render-process-gone', listener: (event: Event, webContents: WebContents, details: RenderProcessGoneDetails) => void): this
    on (event: 'open-url', listener: (event: Event, url: string) => void): this
    enableSandbox (): void
    exit (exitCode?: number): void
    getAppPath (): string
    getPath (name: 'home' | 'appData' | 'userData' | 'sessionData' | 'temp' | 'exe' | 'module' | 'desktop' | 'documents' | 'downloads' | 'music' | 'pictures' | 'videos' | 'recent' | 'logs' | 'crashDumps'): string
    getVersion (): string
    quit (): void
    requestSingleInstanceLock (additionalData?: Record<any, any>): boolean
    setAppLogsPath (path?: string): void
    setAsDefaultProtocolClient (protocol: string, path?: string, args?: string[]): boolean
    setName (name: string): void
    setPath (name: string, path: string): void
    whenReady (): Promise<void>
    readonly isPackaged: boolean
    name: string
  }

  export const app: App

  // Electron adds to Node's `process` in the main process (a global augmentation, like the real types).
  global {
    namespace NodeJS {
      interface Process {
        /** True when started as `electron <app dir>` (development), undefined in a packaged app. */
        readonly defaultApp: boolean
      }
    }
  }

  // ---- windows and web contents ---------------------------------------------------------------

  export interface WebPreferences {
    preload?: string
    sandbox?: boolean
    contextIsolation?: boolean
    nodeIntegration?: boolean
    nodeIntegrationInWorker?: boolean
    nodeIntegrationInSubFrames?: boolean
    webSecurity?: boolean
    allowRunningInsecureContent?: boolean
    experimentalFeatures?: boolean
    webviewTag?: boolean
    navigateOnDragDrop?: boolean
    safeDialogs?: boolean
    spellcheck?: boolean
    devTools?: boolean
    disableBlinkFeatures?: string
    enableBlinkFeatures?: string
  }

  export interface BrowserWindowConstructorOptions {
    width?: number
    height?: number
    minWidth?: number
    minHeight?: number
    show?: boolean
    title?: string
    backgroundColor?: string
    icon?: string
    autoHideMenuBar?: boolean
    webPreferences?: WebPreferences
  }

  export interface HandlerDetails {
    url: string
    frameName: string
    features: string
    disposition: 'default' | 'foreground-tab' | 'background-tab' | 'new-window' | 'other'
  }

  export interface WindowOpenHandlerResponse {
    action: 'allow' | 'deny'
  }

  export interface WebContentsWillNavigateEventParams {
    url: string
    isSameDocument: boolean
    isMainFrame: boolean
    frame: WebFrameMain | null
  }

  export interface WebContentsWillFrameNavigateEventParams {
    url: string
    isSameDocument: boolean
    isMainFrame: boolean
    frame: WebFrameMain | null
  }

  export interface WebContentsWillRedirectEventParams {
    url: string
    isSameDocument: boolean
    isMainFrame: boolean
    frame: WebFrameMain | null
  }

  export interface LoadURLOptions {
    userAgent?: string
  }

  export interface WebContents extends EventEmitter {
    on (event: 'will-navigate', listener: (details: Event<WebContentsWillNavigateEventParams>, url: string) => void): this
    on (event: 'will-frame-navigate', listener: (details: Event<WebContentsWillFrameNavigateEventParams>) => void): this
    on (event: 'will-redirect', listener: (details: Event<WebContentsWillRedirectEventParams>, url: string) => void): this
    on (event: 'will-attach-webview', listener: (event: Event, webPreferences: WebPreferences, params: Record<string, string>) => void): this
    on (event: 'render-process-gone', listener: (event: Event, details: RenderProcessGoneDetails) => void): this
    on (event: 'did-fail-load', listener: (event: Event, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void): this
    setWindowOpenHandler (handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void
    loadURL (url: string, options?: LoadURLOptions): Promise<void>
    getURL (): string
    isDestroyed (): boolean
    reload (): void
    readonly id: number
    readonly session: Session
    readonly mainFrame: WebFrameMain
  }

  export class BrowserWindow extends EventEmitter {
    constructor (options?: BrowserWindowConstructorOptions)
    static getAllWindows (): BrowserWindow[]
    once (event: 'ready-to-show', listener: () => void): this
    on (event: 'closed', listener: () => void): this
    close (): void
    focus (): void
    isDestroyed (): boolean
    isMinimized (): boolean
    loadURL (url: string, options?: LoadURLOptions): Promise<void>
    restore (): void
    show (): void
    readonly webContents: WebContents
  }

  // ---- sessions and permissions ---------------------------------------------------------------

  export type PermissionRequestName = 'clipboard-read' | 'clipboard-sanitized-write' | 'display-capture' | 'fullscreen' | 'geolocation' | 'idle-detection' | 'media' | 'mediaKeySystem' | 'midi' | 'midiSysex' | 'notifications' | 'pointerLock' | 'keyboardLock' | 'openExternal' | 'speaker-selection' | 'storage-access' | 'top-level-storage-access' | 'window-management' | 'unknown' | 'fileSystem'
  export type PermissionCheckName = 'clipboard-read' | 'clipboard-sanitized-write' | 'geolocation' | 'fullscreen' | 'hid' | 'idle-detection' | 'media' | 'mediaKeySystem' | 'midi' | 'midiSysex' | 'notifications' | 'openExternal' | 'pointerLock' | 'serial' | 'storage-access' | 'top-level-storage-access' | 'usb' | 'deprecated-sync-clipboard-read' | 'fileSystem'

  export interface PermissionRequest {
    requestingUrl: string
    isMainFrame: boolean
  }

  export interface PermissionCheckHandlerHandlerDetails {
    requestingUrl?: string
    isMainFrame: boolean
  }

  export interface Session {
    setPermissionRequestHandler (handler: ((webContents: WebContents, permission: PermissionRequestName, callback: (permissionGranted: boolean) => void, details: PermissionRequest) => void) | null): void
    setPermissionCheckHandler (handler: ((webContents: WebContents | null, permission: PermissionCheckName, requestingOrigin: string, details: PermissionCheckHandlerHandlerDetails) => boolean) | null): void
  }

  export const session: {
    readonly defaultSession: Session
  }

  // ---- IPC --------------------------------------------------------------------------------------

  export interface IpcMainInvokeEvent extends Event {
    processId: number
    frameId: number
    sender: WebContents
    readonly senderFrame: WebFrameMain | null
  }

  export interface IpcMain extends EventEmitter {
    handle (channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => Promise<any> | any): void
    removeHandler (channel: string): void
  }

  export const ipcMain: IpcMain

  export interface IpcRenderer extends EventEmitter {
    invoke (channel: string, ...args: any[]): Promise<any>
  }

  export const ipcRenderer: IpcRenderer

  export interface ContextBridge {
    exposeInMainWorld (apiKey: string, api: any): void
  }

  export const contextBridge: ContextBridge

  // ---- native dialogs and the shell -------------------------------------------------------------

  export interface OpenDialogOptions {
    title?: string
    defaultPath?: string
    buttonLabel?: string
    properties?: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'showHiddenFiles' | 'createDirectory' | 'promptToCreate' | 'noResolveAliases' | 'treatPackageAsDirectory' | 'dontAddToRecent'>
  }

  export interface OpenDialogReturnValue {
    canceled: boolean
    filePaths: string[]
  }

  export interface MessageBoxOptions {
    message: string
    type?: 'none' | 'info' | 'error' | 'question' | 'warning'
    buttons?: string[]
    defaultId?: number
    cancelId?: number
    title?: string
    detail?: string
    noLink?: boolean
  }

  export interface MessageBoxReturnValue {
    response: number
    checkboxChecked: boolean
  }

  export interface Dialog {
    showOpenDialog (window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>
    showOpenDialog (options: OpenDialogOptions): Promise<OpenDialogReturnValue>
    showMessageBox (window: BrowserWindow, options: MessageBoxOptions): Promise<MessageBoxReturnValue>
    showMessageBox (options: MessageBoxOptions): Promise<MessageBoxReturnValue>
    showErrorBox (title: string, content: string): void
  }

  export const dialog: Dialog

  export interface OpenExternalOptions {
    activate?: boolean
  }

  export interface Shell {
    openExternal (url: string, options?: OpenExternalOptions): Promise<void>
    showItemInFolder (fullPath: string): void
    openPath (path: string): Promise<string>
  }

  export const shell: Shell

  // ---- utility processes --------------------------------------------------------------------------

  export interface ForkOptions {
    env?: Record<string, string>
    execArgv?: string[]
    cwd?: string
    stdio?: Array<'pipe' | 'ignore' | 'inherit'> | string
    serviceName?: string
    allowLoadingUnsignedLibraries?: boolean
  }

  export class UtilityProcess extends EventEmitter {
    static fork (modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess
    on (event: 'spawn', listener: () => void): this
    on (event: 'exit', listener: (code: number) => void): this
    on (event: 'error', listener: (type: 'FatalError', location: string, report: string) => void): this
    once (event: 'spawn', listener: () => void): this
    once (event: 'exit', listener: (code: number) => void): this
    kill (): boolean
    pid: number | undefined
    stdout: NodeJS.ReadableStream | null
    stderr: NodeJS.ReadableStream | null
  }

  export const utilityProcess: typeof UtilityProcess
}
