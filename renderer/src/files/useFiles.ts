// The library: fetched once, then kept current by `files:progress` / `files:removed` events. No polling.
import { useCallback, useEffect, useState } from 'react'
import { errorText } from '../api/client.ts'
import type { FilesApi } from '../api/files.ts'
import type { EventStream } from '../api/events.ts'
import type { FileEntry } from '../api/types.ts'
import { mergeSnapshot, upsertEntry } from './library.ts'

export interface FilesState {
  files: FileEntry[]
  error: string | null
  /** Puts an entry the API just returned into the list without waiting for its event. */
  upsert: (file: FileEntry) => void
  refresh: () => void
}

export function useFiles (api: FilesApi, stream: EventStream): FilesState {
  const [files, setFiles] = useState<FileEntry[]>([])
  const [error, setError] = useState<string | null>(null)

  const upsert = useCallback((file: FileEntry) => {
    setFiles(list => upsertEntry(list, file))
  }, [])

  const refresh = useCallback(() => {
    api.list().then(answer => {
      setFiles(list => mergeSnapshot(list, answer))
      setError(null)
    }, err => { setError(errorText(err)) })
  }, [api])

  useEffect(() => {
    refresh()
    const offState = stream.onState(state => { if (state.kind === 'open') refresh() })
    const offEvents = stream.subscribe(event => {
      if (event.type === 'files:progress') upsert(event.file)
      else if (event.type === 'files:removed') setFiles(list => list.filter(f => f.cid !== event.cid))
    })
    return () => { offState(); offEvents() }
  }, [stream, refresh, upsert])

  return { files, error, upsert, refresh }
}
