// Main's side of the preload bridge: one handler per allow-listed channel, no catch-all. Every call
// is checked before anything happens: the sender must be the top frame of the main window showing
// the API origin, and every argument must pass ipc-validation.ts. Electron is only a type here.
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, Shell } from 'electron'
import type { PlatformPath } from 'node:path'
import { IPC_CHANNELS } from './ipc-channels.ts'
import { IpcValidationError, sanitizePickedPaths, validatePickFilesArgs, validateRevealInFolderArgs } from './ipc-validation.ts'
import { isTrustedSender } from './navigation-policy.ts'

export interface IpcHandlerDeps {
  ipcMain: Pick<IpcMain, 'handle'>
  dialog: Pick<Dialog, 'showOpenDialog'>
  shell: Pick<Shell, 'showItemInFolder'>
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

  deps.ipcMain.handle(IPC_CHANNELS.revealInFolder, async (event, ...args: unknown[]): Promise<void> => {
    checkSender(IPC_CHANNELS.revealInFolder, event)
    const path = validateRevealInFolderArgs(args, deps.path)
    deps.shell.showItemInFolder(path)
  })
}
