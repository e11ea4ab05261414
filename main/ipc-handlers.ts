// Main's side of the preload bridge: one handler per allow-listed channel, no catch-all. Every call
// is checked before anything happens: the sender must be the top frame of the main window showing
// the API origin, every argument must pass ipc-validation.ts, and a path to open or show must be a
// download the library saved (saved-files.ts). Electron is only a type here.
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, Shell } from 'electron'
import type { PlatformPath } from 'node:path'
import { IPC_CHANNELS } from './ipc-channels.ts'
import { CodedError } from '../p2p/coded-error.ts'
import { IpcValidationError, sanitizePickedPaths, validatePathArgs, validatePickFilesArgs } from './ipc-validation.ts'
import { isTrustedSender } from './navigation-policy.ts'

/** The OS could not open a file (no app for its type, gone meanwhile); the message is the OS's. */
export class ShellError extends CodedError<'open-failed'> {
  override name = 'ShellError'
}

export interface IpcHandlerDeps {
  ipcMain: Pick<IpcMain, 'handle'>
  dialog: Pick<Dialog, 'showOpenDialog'>
  shell: Pick<Shell, 'showItemInFolder' | 'openPath'>
  /** Whether the core's library names `path` (normalized) as a saved download; false when the core is down. */
  isSavedFile: (path: string) => Promise<boolean>
  /** The one window whose page may call the bridge. */
  getWindow: () => BrowserWindow | null
  getApiOrigin: () => string | null
  path: Pick<PlatformPath, 'isAbsolute' | 'normalize'>
  log: (line: string) => void
}

export function registerIpcHandlers (deps: IpcHandlerDeps): void {
  let dialogOpen = false

  const checkSender = (channel: string, event: IpcMainInvokeEvent): BrowserWindow => {
    const win = deps.getWindow()
    if (win === null || win.isDestroyed() || event.sender !== win.webContents || !isTrustedSender(event.senderFrame, deps.getApiOrigin())) {
      deps.log(`tidepool: refused ${channel} from an untrusted sender`)
      throw new IpcValidationError('untrusted-sender', `${channel}: not allowed from this page`)
    }
    return win
  }

  deps.ipcMain.handle(IPC_CHANNELS.pickFiles, async (event, ...args: unknown[]): Promise<string[]> => {
    const win = checkSender(IPC_CHANNELS.pickFiles, event)
    validatePickFilesArgs(args)
    if (dialogOpen) return [] // one dialog at a time; a page cannot stack them up
    dialogOpen = true
    try {
      const result = await deps.dialog.showOpenDialog(win, {
        title: 'Choose files to share',
        properties: ['openFile', 'multiSelections', 'dontAddToRecent']
      })
      return result.canceled ? [] : sanitizePickedPaths(result.filePaths)
    } finally {
      dialogOpen = false
    }
  })

  /** The path argument of reveal and open, once it is known to be a saved download. */
  const savedPath = async (name: 'revealInFolder' | 'openPath', args: unknown[]): Promise<string> => {
    const path = validatePathArgs(name, args, deps.path)
    if (!await deps.isSavedFile(path)) {
      deps.log(`tidepool: refused ${name} of a path that is no saved download`)
      throw new IpcValidationError('not-saved-file', `${name}: not a download Tidepool saved`)
    }
    return path
  }

  deps.ipcMain.handle(IPC_CHANNELS.revealInFolder, async (event, ...args: unknown[]): Promise<void> => {
    checkSender(IPC_CHANNELS.revealInFolder, event)
    deps.shell.showItemInFolder(await savedPath('revealInFolder', args))
  })

  deps.ipcMain.handle(IPC_CHANNELS.openPath, async (event, ...args: unknown[]): Promise<void> => {
    checkSender(IPC_CHANNELS.openPath, event)
    // Electron answers with an error message, empty on success.
    const failure = await deps.shell.openPath(await savedPath('openPath', args))
    if (failure !== '') throw new ShellError('open-failed', `the file could not be opened: ${failure}`)
  })
}
