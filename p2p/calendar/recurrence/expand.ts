// RFC 5545 recurrence expansion (§3.3.10, §3.8.5), on wall-clock times (civil.ts). Each period of
// the rule (a year, month, week or day, every INTERVAL of them from DTSTART's) is taken whole; its
// days are kept when they pass every BYxxx part given (for a frequency that "expands" a part, starting
// from all the period's days and keeping the matching ones is the same thing), each kept day gets the
// BYHOUR×BYMINUTE×BYSECOND times, BYSETPOS picks among the period's candidates, and COUNT/UNTIL end it.
// A day a part names but the month lacks (BYMONTHDAY=30 in February) simply matches nothing: it is
// skipped, never carried into March. DTSTART is always the first instance (RFC 5545 §3.8.5.3).
import { DAY, civil, dayNumber, daysInMonth, isLeapYear, weekday } from './civil.ts'
import type { Rule } from './rule.ts'
import { toInstant } from './zone.ts'

interface Bounds {
  /** Whether a candidate is past UNTIL (it and everything after it are dropped). */
  afterUntil: (local: number) => boolean
  /** No period starting after this (local) is looked at: what bounds a rule that never matches. */
  stopAfter: number
  /** Periods wholly before this (local) may be skipped, if the rule has no COUNT (which needs them all). */
  skipBefore: number
}

function week1Start (year: number, wkst: number): number {
  const jan1 = dayNumber(year, 1, 1)
  const offset = (weekday(jan1) - wkst + 7) % 7
  // Week 1 is the first week with at least four days in the year (RFC 5545, as ISO 8601).
  return offset <= 3 ? jan1 - offset : jan1 - offset + 7
}

/** The week (1-based) a day falls in, and how many weeks its week-numbering year has. */
function weekOf (day: number, year: number, week1: (year: number) => number): { n: number, weeks: number } {
  let owner = year
  let start = week1(year)
  if (day < start) {
    owner = year - 1
    start = week1(owner)
  } else {
    const next = week1(year + 1)
    if (day >= next) { owner = year + 1; start = next }
  }
  return { n: Math.floor((day - start) / 7) + 1, weeks: (week1(owner + 1) - start) / 7 }
}

/** Whether position `pos` (1-based) of `length` matches a list entry counted from either end. */
function atPosition (list: readonly number[], pos: number, length: number): boolean {
  return list.some(n => n > 0 ? n === pos : length + n + 1 === pos)
}

/** The parts as they apply to one DTSTART: RFC 5545's defaults taken from DTSTART filled in. */
function effectiveParts (rule: Rule, dtstart: number): Rule {
  const c = civil(dtstart)
  const r: Rule = { ...rule }
  const dayless = r.byWeekNo === undefined && r.byYearDay === undefined && r.byMonthDay === undefined && r.byDay === undefined
  if (dayless && r.freq === 'YEARLY') {
    r.byMonth ??= [c.month]
    r.byMonthDay = [c.day]
  } else if (dayless && r.freq === 'MONTHLY') r.byMonthDay = [c.day]
  else if (dayless && r.freq === 'WEEKLY') r.byDay = [{ day: weekday(Math.floor(dtstart / DAY)) }]
  r.byHour = [...new Set(r.byHour ?? [c.hour])].sort((a, b) => a - b)
  r.byMinute = [...new Set(r.byMinute ?? [c.minute])].sort((a, b) => a - b)
  r.bySecond = [...new Set(r.bySecond ?? [c.second])].filter(s => s < 60).sort((a, b) => a - b) // no leap seconds
  return r
}

/** Days [first, last] of period k (k = 0 holds DTSTART). */
function period (rule: Rule, dtstart: number, k: number): [number, number] {
  const c = civil(dtstart)
  const d0 = Math.floor(dtstart / DAY)
  switch (rule.freq) {
    case 'DAILY': return [d0 + k * rule.interval, d0 + k * rule.interval]
    case 'WEEKLY': {
      const first = d0 - ((weekday(d0) - rule.wkst + 7) % 7) + 7 * k * rule.interval
      return [first, first + 6]
    }
    case 'MONTHLY': {
      const index = c.year * 12 + c.month - 1 + k * rule.interval
      const year = Math.floor(index / 12)
      const month = index - year * 12 + 1
      return [dayNumber(year, month, 1), dayNumber(year, month, daysInMonth(year, month))]
    }
    case 'YEARLY': {
      const year = c.year + k * rule.interval
      return [dayNumber(year, 1, 1), dayNumber(year, 12, 31)]
    }
  }
}

/** The first period that can hold a day ≥ `day` (0 when that is DTSTART's or earlier). */
function firstPeriodFrom (rule: Rule, dtstart: number, day: number): number {
  const [first] = period(rule, dtstart, 0)
  if (day <= first) return 0
  const c = civil(dtstart)
  const t = civil(day * DAY)
  switch (rule.freq) {
    case 'DAILY': return Math.floor((day - first) / rule.interval)
    case 'WEEKLY': return Math.floor((day - first) / (7 * rule.interval))
    case 'MONTHLY': return Math.floor(((t.year - c.year) * 12 + t.month - c.month) / rule.interval)
    case 'YEARLY': return Math.floor((t.year - c.year) / rule.interval)
  }
}

interface Day { day: number, year: number, month: number, date: number }

/** Whether a day passes every BYxxx part (BYMONTH is checked by the caller, which skips whole months). */
function dayMatches (r: Rule, d: Day, weekOf: (day: number, year: number) => { n: number, weeks: number }): boolean {
  if (r.byWeekNo !== undefined) {
    const week = weekOf(d.day, d.year)
    if (!atPosition(r.byWeekNo, week.n, week.weeks)) return false
  }
  const yearLength = isLeapYear(d.year) ? 366 : 365
  const yearDay = d.day - dayNumber(d.year, 1, 1) + 1
  if (r.byYearDay !== undefined && !atPosition(r.byYearDay, yearDay, yearLength)) return false
  const monthLength = daysInMonth(d.year, d.month)
  if (r.byMonthDay !== undefined && !atPosition(r.byMonthDay, d.date, monthLength)) return false
  if (r.byDay !== undefined) {
    const wd = weekday(d.day)
    // An ordinal counts within the month (MONTHLY, or YEARLY with BYMONTH), else within the year;
    // RFC 5545 gives no meaning to one with DAILY/WEEKLY or with BYWEEKNO, so there it is ignored.
    const ordinals = r.freq === 'MONTHLY' || (r.freq === 'YEARLY' && r.byWeekNo === undefined)
    const inMonth = r.freq === 'MONTHLY' || r.byMonth !== undefined
    const [pos, length] = inMonth ? [d.date, monthLength] : [yearDay, yearLength]
    const nth = Math.floor((pos - 1) / 7) + 1
    const nthFromEnd = -(Math.floor((length - pos) / 7) + 1)
    if (!r.byDay.some(b => b.day === wd && (b.n === undefined || !ordinals || b.n === nth || b.n === nthFromEnd))) return false
  }
  return true
}

/** The days of [first, last] that pass the rule's parts, skipping months BYMONTH leaves out whole. */
function matchingDays (r: Rule, first: number, last: number, weekOf: (day: number, year: number) => { n: number, weeks: number }): number[] {
  const out: number[] = []
  const c = civil(first * DAY)
  let { year, month, day: date } = c
  for (let day = first; day <= last;) {
    const length = daysInMonth(year, month)
    if (r.byMonth !== undefined && !r.byMonth.includes(month)) {
      day += length - date + 1 // to the 1st of the next month
      date = length
    } else {
      if (dayMatches(r, { day, year, month, date }, weekOf)) out.push(day)
      day++
    }
    if (++date > length) { date = 1; if (++month > 12) { month = 1; year++ } }
  }
  return out
}

/** The instances of `rule` from DTSTART on (wall clock, ascending), DTSTART first. */
export function * ruleInstances (rule: Rule, dtstart: number, bounds: Bounds): Generator<number> {
  const r = effectiveParts(rule, dtstart)
  const weeks = new Map<number, number>() // week-1 starts by year: BYWEEKNO asks for them on every day
  const start1 = (year: number): number => {
    let s = weeks.get(year)
    if (s === undefined) { s = week1Start(year, r.wkst); weeks.set(year, s) }
    return s
  }
  const weekOfDay = (day: number, year: number): { n: number, weeks: number } => weekOf(day, year, start1)
  const times: number[] = []
  for (const h of r.byHour ?? []) for (const m of r.byMinute ?? []) for (const s of r.bySecond ?? []) times.push(((h * 60 + m) * 60 + s) * 1000)
  yield dtstart
  let emitted = 1
  if (rule.count === 1) return
  const skipTo = rule.count === undefined ? firstPeriodFrom(rule, dtstart, Math.floor(bounds.skipBefore / DAY)) : 0
  for (let k = skipTo; ; k++) {
    const [first, last] = period(rule, dtstart, k)
    if (first * DAY > bounds.stopAfter) return
    let candidates: number[] = []
    for (const day of matchingDays(r, first, last, weekOfDay)) for (const t of times) candidates.push(day * DAY + t)
    if (r.bySetPos !== undefined) {
      const all = candidates
      candidates = [...new Set(r.bySetPos.map(n => all[n > 0 ? n - 1 : all.length + n]).filter(v => v !== undefined))].sort((a, b) => a - b)
    }
    for (const local of candidates) {
      if (local <= dtstart) continue
      if (bounds.afterUntil(local)) return
      yield local
      if (rule.count !== undefined && ++emitted >= rule.count) return
    }
  }
}

/** A recurrence set (RFC 5545 §3.8.5): DTSTART, RRULE, RDATE and EXDATE, all as wall-clock times. */
export interface RecurrenceSet {
  start: number
  rule?: Rule
  rdates?: readonly number[]
  exdates?: readonly number[]
}

export interface Occurrence {
  /** Its wall-clock start as the set gives it: the occurrence's RECURRENCE-ID. */
  local: number
  /** ms since the epoch; for a set with no zone (all-day, floating), the wall clock read as UTC. */
  start: number
}

/** How many instances at most one expansion returns; a window asking for more is cut, and says so. */
export const MAX_EXPANDED = 20_000

/**
 * The occurrences of `set` in `zone` (null: none, times read as UTC) that overlap [from, to) given
 * their length, ascending. `truncated` when more than `limit` would have been returned.
 */
export function expand (set: RecurrenceSet, zone: string | null, window: { from: number, to: number, durationMs: number }, limit = MAX_EXPANDED): { occurrences: Occurrence[], truncated: boolean } {
  const instant = (local: number): number => zone == null ? local : toInstant(zone, local)
  // Wall clocks are within ±26 h of UTC: a margin of two days finds every local time that can overlap.
  const lo = window.from - window.durationMs - 2 * DAY
  const hi = window.to + 2 * DAY
  const until = set.rule?.until
  const locals: number[] = []
  // Instances collected before the window's exact filter: past this many, the answer is cut anyway.
  const cap = limit + (set.exdates?.length ?? 0) + 10_000
  let capped = false
  if (set.rule == null) locals.push(set.start)
  else {
    const bounds = { afterUntil: (local: number) => until !== undefined && (zone == null ? local : instant(local)) > until, stopAfter: hi, skipBefore: lo }
    for (const local of ruleInstances(set.rule, set.start, bounds)) {
      if (local > hi) break
      if (local >= lo) locals.push(local)
      if (locals.length >= cap) { capped = true; break }
    }
  }
  for (const rdate of set.rdates ?? []) if (rdate >= lo && rdate <= hi) locals.push(rdate)
  const excluded = new Set(set.exdates ?? [])
  const occurrences: Occurrence[] = []
  let previous: number | null = null
  for (const local of locals.sort((a, b) => a - b)) {
    if (local === previous || excluded.has(local)) continue
    previous = local
    const start = instant(local)
    // An instant (no length) is in the window if it starts there; anything longer, if it overlaps it.
    const overlaps = window.durationMs > 0 ? start < window.to && start + window.durationMs > window.from : start >= window.from && start < window.to
    if (!overlaps) continue
    if (occurrences.length === limit) return { occurrences, truncated: true }
    occurrences.push({ local, start })
  }
  return { occurrences, truncated: capped }
}
