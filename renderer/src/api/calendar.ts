// The calendar routes, on the shared API client.
import type { ApiClient } from './client.ts'
import type { CalendarSummary, CalendarView, CreatedCalendar, IcsImportResult, InviteResult, JoinedCalendar, OccurrencesResult, SeriesWriteRequest, SyncResult, WriteRequest, WriteResult } from '../../../p2p/calendar/api.ts'

export type ReserveRequest = Omit<Extract<WriteRequest, { op: 'reserve' }>, 'op'>

export function calendarApi (client: ApiClient) {
  const base = (id: string): string => `/api/calendars/${encodeURIComponent(id)}`
  return {
    list: async () => await client.request<CalendarSummary[]>('GET', '/api/calendars'),
    get: async (id: string, signal?: AbortSignal) => await client.request<CalendarView>('GET', base(id), undefined, signal),
    /** Every occurrence in [from, to), series expanded. */
    occurrences: async (id: string, from: Date, to: Date, signal?: AbortSignal) => await client.request<OccurrencesResult>('GET', `${base(id)}/occurrences?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`, undefined, signal),
    /** Any write: an event or series write, a move or edit (docs/API.md). */
    write: async (id: string, body: WriteRequest | SeriesWriteRequest) => await client.request<WriteResult>('POST', `${base(id)}/writes`, body),
    create: async (name: string) => await client.request<CreatedCalendar>('POST', '/api/calendars', { name }),
    join: async (invite: string) => await client.request<JoinedCalendar>('POST', '/api/calendars/join', { invite }),
    invite: async (id: string) => await client.request<InviteResult>('POST', `${base(id)}/invite`, {}),
    reserve: async (id: string, body: ReserveRequest) => await client.request<WriteResult>('POST', `${base(id)}/writes`, { op: 'reserve', ...body }),
    cancel: async (id: string, eventId: string) => await client.request<WriteResult>('POST', `${base(id)}/writes`, { op: 'cancel', eventId }),
    handOff: async (id: string, to: string) => await client.request<WriteResult>('POST', `${base(id)}/writes`, { op: 'handoff', to }),
    retire: async (id: string) => await client.request<WriteResult>('POST', `${base(id)}/writes`, { op: 'retire' }),
    exportIcs: async (id: string) => await client.download(`${base(id)}/ics`),
    importIcs: async (id: string, file: Blob) => await client.upload<IcsImportResult>(`${base(id)}/ics`, file),
    sync: async (id: string) => await client.request<SyncResult>('POST', `${base(id)}/sync`, {})
  }
}

export type CalendarApi = ReturnType<typeof calendarApi>
