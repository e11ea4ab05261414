// The files routes; every library entry and the settings are checked against the core's schemas.
import { checked, type ApiClient } from './client.ts'
import { FileEntry, FilesSettings, type RemovedFile } from '../../../p2p/files/api.ts'

export function filesApi (client: ApiClient) {
  const entry = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<FileEntry> =>
    checked(FileEntry, await client.request<unknown>(method, path, body), `${method} ${path}`)
  const file = (cid: string): string => `/api/files/${encodeURIComponent(cid)}`
  return {
    /** The library; an entry that doesn't fit the schema is left out rather than failing the list. */
    list: async () => (await client.request<unknown[]>('GET', '/api/files')).flatMap(v => {
      const parsed = FileEntry.safeParse(v)
      return parsed.success ? [parsed.data] : []
    }),
    add: async (bytes: Blob, name: string, isPrivate: boolean) => {
      const path = `/api/files?name=${encodeURIComponent(name)}${isPrivate ? '&private=1' : ''}`
      return checked(FileEntry, await client.upload<unknown>(path, bytes), 'POST /api/files')
    },
    download: async (link: string) => await entry('POST', '/api/files/download', { link }),
    setPinned: async (cid: string, pinned: boolean) => await entry('POST', `${file(cid)}/pin`, { pinned }),
    pause: async (cid: string) => await entry('POST', `${file(cid)}/pause`),
    resume: async (cid: string) => await entry('POST', `${file(cid)}/resume`),
    /** The file's bytes (plaintext for a private share), for Save. */
    content: async (cid: string) => await client.download(`${file(cid)}/content`),
    remove: async (cid: string) => await client.request<RemovedFile>('DELETE', file(cid)),
    settings: async () => checked(FilesSettings, await client.request<unknown>('GET', '/api/files/settings'), 'GET /api/files/settings'),
    setSettings: async (settings: FilesSettings) =>
      checked(FilesSettings, await client.request<unknown>('PUT', '/api/files/settings', settings), 'PUT /api/files/settings')
  }
}

export type FilesApi = ReturnType<typeof filesApi>
