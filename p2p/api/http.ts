// Request/response plumbing shared by every route: JSON bodies with a size cap and schema validation.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { ApiError, type ErrorBody } from './contract.ts'

export const MAX_JSON_BODY_BYTES = 64 * 1024

/** One kind of a capability's coded errors, and the HTTP status each of its codes answers with. */
export interface ErrorStatus<C extends string> {
  type: abstract new (...args: any[]) => Error & { readonly code: C }
  status: Readonly<Record<C, number>> | ((code: C) => number)
}

export function errorStatus<C extends string> (type: ErrorStatus<C>['type'], status: ErrorStatus<C>['status']): ErrorStatus<C> {
  return { type, status }
}

/**
 * A route module's error translation: runs the work and turns the listed kinds of errors into
 * ApiErrors carrying their own code and message; anything else reaches the router as a 500.
 */
export function apiErrorsFrom (...kinds: Array<ErrorStatus<any>>): <T>(run: () => Promise<T>) => Promise<T> {
  return async run => {
    try {
      return await run()
    } catch (err) {
      const kind = kinds.find(k => err instanceof k.type)
      if (kind === undefined) throw err
      const { code, message } = err as Error & { code: string }
      const status = typeof kind.status === 'function' ? kind.status(code) : kind.status[code]
      throw new ApiError(status ?? 500, code, message)
    }
  }
}

export function sendJson (res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff'
  })
  res.end(text)
}

export function sendError (res: ServerResponse, status: number, code: string, message: string): void {
  const body: ErrorBody = { error: { code, message } }
  sendJson(res, status, body)
}

export async function readBody (req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw new ApiError(413, 'too-large', `request body over ${limit} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new ApiError(413, 'too-large', `request body over ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Reads, parses and validates a JSON body; anything else is a 4xx naming what was wrong. */
export async function readJson<T extends z.ZodType> (req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw new ApiError(415, 'unsupported-media-type', 'send the body as Content-Type: application/json')
  }
  const body = await readBody(req, MAX_JSON_BODY_BYTES)
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw new ApiError(400, 'bad-request', `body is not JSON: ${(err as Error).message}`)
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')
    throw new ApiError(400, 'bad-request', problems)
  }
  return parsed.data
}
