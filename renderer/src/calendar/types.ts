// The calendar routes' answers (docs/API.md, "Calendar"): the core's own contract.
export type {
  EventView as CalendarEventView,
  MemberView,
  WriteView,
  CalendarView as CalendarDetail,
  CalendarSummary,
  WriteResult,
  SyncResult,
  OccurrenceView,
  OccurrencesResult,
  OutcomeChange
} from '../../../p2p/calendar/api.ts'
