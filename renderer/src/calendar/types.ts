// Shapes of the calendar routes (docs/API.md, "Calendar"). The renderer only reads these.

export type {
  EventView as CalendarEventView,
  MemberView,
  WriteView,
  CalendarView as CalendarDetail
} from '../../../p2p/calendar/view.ts'

export interface CalendarSummary {
  id: string
  name: string
  replica: string
  primary: string
  highestCsn: number
  events: number
  members: number
}

export interface WriteResult {
  writeId: string
  stamp: number
  outcome: { ok: boolean, detail: string }
}

export interface SyncResult {
  peers: Array<{ peerId: string, ok: boolean, error?: string, stats?: { sentWrites: number, receivedWrites: number, receivedCommits: number } }>
}
