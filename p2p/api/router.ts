// Routes are data: each capability contributes a list, the server matches method and path.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError } from './contract.ts'

export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  params: Record<string, string>
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** A path like /api/files/:cid; each :name matches one path segment. */
  path: string
  /** Returns the JSON body of a 200, or writes the response itself and returns undefined. */
  handle: (ctx: RouteContext) => Promise<unknown>
}

interface CompiledRoute extends Route {
  pattern: RegExp
  names: string[]
}

export class Router {
  private readonly routes: CompiledRoute[] = []

  add (routes: Route[]): void {
    for (const route of routes) {
      const names: string[] = []
      const source = route.path.split('/').map(segment => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        names.push(segment.slice(1))
        return '([^/]+)'
      }).join('/')
      this.routes.push({ ...route, pattern: new RegExp(`^${source}$`), names })
    }
  }

  /** The route for method and path; `methodNotAllowed` when only the path matches. */
  match (method: string, pathname: string): { route: Route, params: Record<string, string> } | 'not-found' | 'method-not-allowed' {
    let pathMatched = false
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname)
      if (match == null) continue
      pathMatched = true
      if (route.method !== method) continue
      const params: Record<string, string> = {}
      route.names.forEach((name, i) => { params[name] = decodePathSegment(match[i + 1] ?? '') })
      return { route, params }
    }
    return pathMatched ? 'method-not-allowed' : 'not-found'
  }
}

/** A path segment's percent-decoding; a malformed one (`%`, `%E0%A4%A`) is the client's mistake, a 400. */
export function decodePathSegment (segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new ApiError(400, 'bad-request', `malformed percent-encoding in the path: ${JSON.stringify(segment.slice(0, 100))}`)
  }
}
