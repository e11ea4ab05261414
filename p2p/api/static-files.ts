// Serves the built renderer (dist/renderer) with a strict Content-Security-Policy.
import { createReadStream, existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerResponse } from 'node:http'
import { decodePathSegment } from './router.ts'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json'
}

export function contentSecurityPolicy (port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

/** The built UI, dist/renderer, seen from p2p/api (sources) or from dist/p2p/api (compiled). */
export function findRendererDir (): string | undefined {
  const twoUp = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
  const dist = basename(twoUp) === 'dist' ? twoUp : join(twoUp, 'dist')
  const dir = join(dist, 'renderer')
  return existsSync(join(dir, 'index.html')) ? dir : undefined
}

export async function serveStatic (res: ServerResponse, rootDir: string | undefined, pathname: string, port: number): Promise<void> {
  const headers = {
    'content-security-policy': contentSecurityPolicy(port),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY'
  }
  const decoded = decodePathSegment(pathname)
  if (rootDir === undefined) {
    res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' })
    res.end('The Tidepool UI is not built. Run `npm run build` in the checkout, then reload.\n')
    return
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '')
  let file = join(rootDir, relative)
  if (!file.startsWith(rootDir + sep) && file !== rootDir) file = join(rootDir, 'index.html')
  const info = await stat(file).catch(() => undefined)
  // Unknown paths get the app (it routes on the client); the app's own assets must exist.
  if (info?.isFile() !== true) file = join(rootDir, 'index.html')
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'
  res.writeHead(200, { ...headers, 'content-type': type, 'cache-control': file.endsWith('index.html') ? 'no-cache' : 'max-age=3600' })
  createReadStream(file).pipe(res)
}
