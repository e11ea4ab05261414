// Errors of the calendar service (the Bayou core has its own, BayouError).
import { CodedError } from '../coded-error.ts'
export type CalendarErrorCode =
  | 'unknown-calendar'
  | 'bad-invite'
  | 'refused'        // a member refused to sync with us, with its reason
  | 'not-member'     // this peer has no active replica of the calendar
  | 'unreachable'    // no member could be reached
  | 'bad-ics'
  | 'not-primary'            // a handoff asked of a replica that is not the primary
  | 'bad-handoff'            // a handoff to a replica that is not an active member (or to ourselves)
  | 'primary-must-hand-off'  // the primary may retire only after handing its role to another member

export class CalendarError extends CodedError<CalendarErrorCode> {
  override name = 'CalendarError'
}
