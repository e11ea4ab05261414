// The peer's file settings, one copy for every control that changes one of them, so that saving one
// never sends back a stale value of another.
import { useCallback, useEffect, useState } from 'react'
import { errorText } from '../api/client.ts'
import type { FilesApi } from '../api/files.ts'
import type { FilesSettings } from '../../../p2p/files/api.ts'

export interface FilesSettingsState {
  /** Undefined until the first answer. */
  settings: FilesSettings | undefined
  /** Why the settings could not be read. */
  error: string | null
  /** Saves the settings with `change` applied; rejects with the API's error. */
  save: (change: Partial<FilesSettings>) => Promise<void>
}

export function useFilesSettings (api: FilesApi): FilesSettingsState {
  const [settings, setSettings] = useState<FilesSettings | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    api.settings().then(setSettings, err => { setError(errorText(err)) })
  }, [api])

  const save = useCallback(async (change: Partial<FilesSettings>): Promise<void> => {
    // Before the first answer nothing is known to keep: the upload cap is the one setting every body needs.
    setSettings(await api.setSettings({ maxUploadBytesPerSecond: null, ...settings, ...change }))
    setError(null)
  }, [api, settings])

  return { settings, error, save }
}
