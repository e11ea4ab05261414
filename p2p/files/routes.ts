// The files capability's HTTP face: add, download, the library, settings, the bytes of a file.
import { isAbsolute } from 'node:path'
import { z } from 'zod'
import type { Route } from '../api/router.ts'
import { apiErrorsFrom, errorStatus, readJson } from '../api/http.ts'
import { ApiError } from '../api/contract.ts'
import { FilesError, type FilesErrorCode } from './errors.ts'
import type { FilesService } from './service.ts'
import { FilesSettings, MIN_RATE_CAP } from './api.ts'
import { pipeline } from 'node:stream/promises'

const FILES_ERROR_STATUS: Record<FilesErrorCode, number> = {
  'bad-cid': 400,
  'bad-link': 400,
  'bad-request': 400,
  'unsupported-layout': 422,
  'bad-manifest': 502,
  'bad-chunk': 502,
  'not-found': 404,
  'too-large': 413,
  stopped: 409,
  'bad-dest': 400,
  'dest-exists': 409,
  'no-provider': 404,
  'bad-folder': 400
}

const AddPathRequest = z.object({
  path: z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path'),
  name: z.string().min(1).max(255).optional(),
  private: z.boolean().optional()
}).strict()
const DownloadRequest = z.object({
  link: z.string().min(1).max(4096).optional(),
  cid: z.string().min(1).max(256).optional(),
  name: z.string().min(1).max(255).optional(),
  dest: z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path').optional(),
  overwrite: z.boolean().optional(),
  maxBytesPerSecond: z.number().int().min(MIN_RATE_CAP).optional()
}).strict().refine(r => (r.link === undefined) !== (r.cid === undefined), 'give either link or cid')
const PinRequest = z.object({ pinned: z.boolean() }).strict()
const Name = z.string().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name, without slashes')

const asApiError = apiErrorsFrom(errorStatus(FilesError, FILES_ERROR_STATUS))

export function filesRoutes (files: FilesService): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/files',
      // JSON {path} adds a local file; any other body is the file itself, streamed (no 64 KiB JSON cap).
      handle: async ({ req, url }) => await asApiError(async () => {
        if (/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
          const { path, name, private: isPrivate } = await readJson(req, AddPathRequest)
          return await files.addPath(path, name, { private: isPrivate })
        }
        const name = Name.safeParse(url.searchParams.get('name') ?? '')
        if (!name.success) throw new ApiError(400, 'bad-request', 'name: give ?name=<file name> with the bytes as the body')
        return await files.add(req, name.data, { private: url.searchParams.get('private') === '1' })
      })
    },
    { method: 'GET', path: '/api/files', handle: async () => await files.list() },
    // Before /api/files/:cid, which would otherwise take "settings" for a content id.
    { method: 'GET', path: '/api/files/settings', handle: async () => files.settings() },
    {
      method: 'PUT',
      path: '/api/files/settings',
      handle: async ({ req }) => {
        const settings = await readJson(req, FilesSettings)
        return await asApiError(async () => await files.setSettings(settings))
      }
    },
    {
      method: 'POST',
      path: '/api/files/download',
      handle: async ({ req }) => {
        const body = await readJson(req, DownloadRequest)
        return await asApiError(async () => await files.download({ ...body, link: body.link ?? body.cid! }))
      }
    },
    { method: 'GET', path: '/api/files/:cid', handle: async ({ params }) => await asApiError(async () => await files.get(params.cid!)) },
    {
      method: 'DELETE',
      path: '/api/files/:cid',
      handle: async ({ params }) => await asApiError(async () => { await files.remove(params.cid!); return { removed: params.cid } })
    },
    {
      method: 'POST',
      path: '/api/files/:cid/pin',
      handle: async ({ req, params }) => {
        const { pinned } = await readJson(req, PinRequest)
        return await asApiError(async () => await files.setPinned(params.cid!, pinned))
      }
    },
    { method: 'POST', path: '/api/files/:cid/pause', handle: async ({ params }) => await asApiError(async () => await files.pause(params.cid!)) },
    { method: 'POST', path: '/api/files/:cid/resume', handle: async ({ params }) => await asApiError(async () => await files.resume(params.cid!)) },
    {
      method: 'GET',
      path: '/api/files/:cid/content',
      handle: async ({ res, params }) => await asApiError(async () => {
        const { name, size, bytes } = await files.content(params.cid!)
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': size,
          'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff'
        })
        await pipeline(bytes, res)
        return undefined
      })
    }
  ]
}
