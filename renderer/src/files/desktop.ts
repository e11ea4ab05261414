// The Electron window's native extras (main/preload.cts); undefined in a plain browser (headless mode).
import type { DESKTOP_BRIDGE_KEY, TidepoolDesktopApi } from '../../../main/ipc-channels.ts'

export function desktopBridge (): TidepoolDesktopApi | undefined {
  return (window as unknown as Partial<Record<typeof DESKTOP_BRIDGE_KEY, TidepoolDesktopApi>>).tidepoolDesktop
}
