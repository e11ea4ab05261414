// The calendar's HTTP face: request schemas, API body → update function, error statuses.
import type { IncomingMessage } from 'node:http'
import { buffer } from 'node:stream/consumers'
import { z } from 'zod'
import type { Route } from '../api/router.ts'
import { apiErrorsFrom, errorStatus, readJson } from '../api/http.ts'
import { ApiError } from '../api/contract.ts'
import { CalendarError, type CalendarErrorCode } from './errors.ts'
import { BayouError } from './bayou/errors.ts'
import { Op } from './bayou/ops.ts'
import { DEFAULT_ROOM } from './bayou/update-functions.ts'
import type { CalendarService } from './service.ts'
import { SeriesWriteRequest, WriteRequest } from './api.ts'
import { MAX_ICS_BYTES } from './ics/parse.ts'
import { MAX_RANGE_DAYS, occurrencesView, seriesOp, SeriesRequestError } from './series-api.ts'
import type { CalendarEvent as EventRow } from './bayou/rows.ts'

const CALENDAR_ERROR_STATUS: Record<CalendarErrorCode, number> = {
  'unknown-calendar': 404,
  'bad-invite': 400,
  refused: 403,
  'not-member': 403,
  unreachable: 502,
  'bad-ics': 400,
  'not-primary': 409,
  'bad-handoff': 400,
  'primary-must-hand-off': 409
}

const CreateRequest = z.object({ name: z.string().min(1).max(200) }).strict()
const JoinRequest = z.object({ invite: z.string().min(1).max(4096) }).strict()
const SyncRequest = z.object({ peerId: z.string().min(40).max(100).optional() }).strict()
const AnyWriteRequest = z.discriminatedUnion('op', [...WriteRequest.options, ...SeriesWriteRequest.options])
const SERIES_OPS: ReadonlySet<string> = new Set(SeriesWriteRequest.options.map(o => o.shape.op.value))
const IsoTime = z.iso.datetime({ offset: true })
const DAY_MS = 86_400_000

/** API body (ISO times, optional room) → the update function's data (ms times), checked against its schema. */
function toOp (body: WriteRequest): Op {
  const ms = (iso: string): number => Date.parse(iso)
  let op: unknown
  switch (body.op) {
    case 'reserve': op = { kind: 'reserve', title: body.title, durationMinutes: body.durationMinutes, alternatives: body.alternatives.map(ms), room: body.room ?? DEFAULT_ROOM }; break
    case 'move': op = { kind: 'move', eventId: body.eventId, start: ms(body.start), durationMinutes: body.durationMinutes }; break
    case 'cancel': op = { kind: 'cancel', eventId: body.eventId }; break
    case 'edit': op = { kind: 'edit', eventId: body.eventId, title: body.title, room: body.room }; break
    case 'handoff': op = { kind: 'handoff', to: body.to }; break
    case 'retire': op = { kind: 'retire' }; break
  }
  const parsed = Op.safeParse(JSON.parse(JSON.stringify(op)))
  if (!parsed.success) throw new ApiError(400, 'bad-request', parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; '))
  return parsed.data
}

/**
 * The raw body (an .ics file), as bytes: it is decoded in the worker that reads it. It must declare
 * its length, at most `limit`: Node's HTTP parser then delivers no more than that.
 */
async function readBytes (req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const length = Number(req.headers['content-length'])
  if (!Number.isSafeInteger(length)) throw new ApiError(411, 'length-required', 'send the .ics file with a Content-Length')
  if (length > limit) throw new ApiError(413, 'too-large', `request body over ${limit} bytes`)
  return new Uint8Array(await buffer(req)) // a copy of its own, so it can be handed to the worker
}

const asApiError = apiErrorsFrom(
  errorStatus(CalendarError, CALENDAR_ERROR_STATUS),
  errorStatus(BayouError, code => code === 'not-member' ? 403 : 400)
)

export function calendarRoutes (calendars: CalendarService): Route[] {
  return [
    { method: 'GET', path: '/api/calendars', handle: async () => calendars.summaries() },
    {
      method: 'POST',
      path: '/api/calendars',
      handle: async ({ req }) => { const { name } = await readJson(req, CreateRequest); return await asApiError(async () => await calendars.create(name)) }
    },
    {
      method: 'POST',
      path: '/api/calendars/join',
      handle: async ({ req }) => { const { invite } = await readJson(req, JoinRequest); return await asApiError(async () => await calendars.join(invite)) }
    },
    {
      method: 'GET',
      path: '/api/calendars/:id',
      handle: async ({ params }) => await asApiError(async () => calendars.view(params.id as string))
    },
    {
      method: 'POST',
      path: '/api/calendars/:id/invite',
      handle: async ({ params }) => await asApiError(async () => ({ invite: await calendars.invite(params.id as string) }))
    },
    {
      method: 'POST',
      path: '/api/calendars/:id/writes',
      handle: async ({ req, params }) => {
        const body = await readJson(req, AnyWriteRequest)
        return await asApiError(async () => {
          const id = params.id as string
          const zoneOf = (eventId: string): string | null => calendars.replica(id).database.get<EventRow>('events', eventId)?.recurrence?.zone ?? null
          let op
          try {
            op = SERIES_OPS.has(body.op) ? seriesOp(body as SeriesWriteRequest, zoneOf) : toOp(body as WriteRequest)
          } catch (err) {
            if (err instanceof SeriesRequestError) throw new ApiError(400, 'bad-request', err.message)
            throw err
          }
          return await calendars.write(id, op)
        })
      }
    },
    {
      method: 'GET',
      path: '/api/calendars/:id/occurrences',
      handle: async ({ params, url }) => {
        const from = Date.parse(url.searchParams.get('from') ?? '')
        const to = Date.parse(url.searchParams.get('to') ?? '')
        if (!IsoTime.safeParse(url.searchParams.get('from')).success || !IsoTime.safeParse(url.searchParams.get('to')).success) throw new ApiError(400, 'bad-request', 'from and to: ISO times with an offset, e.g. 2026-11-01T00:00:00Z')
        if (!(to > from) || to - from > MAX_RANGE_DAYS * DAY_MS) throw new ApiError(400, 'bad-request', `to must be after from, by at most ${MAX_RANGE_DAYS} days`)
        return await asApiError(async () => ({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...occurrencesView(calendars.replica(params.id as string), from, to) }))
      }
    },
    {
      method: 'GET',
      path: '/api/calendars/:id/ics',
      handle: async ({ params, res }) => {
        const text = await asApiError(async () => calendars.exportIcs(params.id as string))
        res.writeHead(200, {
          'content-type': 'text/calendar; charset=utf-8',
          'content-length': Buffer.byteLength(text),
          'content-disposition': 'attachment; filename="calendar.ics"',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff'
        })
        res.end(text)
        return undefined
      }
    },
    {
      method: 'POST',
      path: '/api/calendars/:id/ics',
      handle: async ({ req, params }) => {
        const bytes = await readBytes(req, MAX_ICS_BYTES)
        return await asApiError(async () => await calendars.importIcs(params.id as string, bytes))
      }
    },
    {
      method: 'POST',
      path: '/api/calendars/:id/sync',
      handle: async ({ req, params }) => {
        const { peerId } = await readJson(req, SyncRequest)
        return await asApiError(async () => ({ peers: await calendars.sync(params.id as string, peerId) }))
      }
    }
  ]
}
