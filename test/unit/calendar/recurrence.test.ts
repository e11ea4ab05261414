// The rule engine on the examples of RFC 5545 §3.8.5.3 (America/New_York, as the RFC writes them), the
// RFC's own invalid-date example, DST in Berlin, and windows that skip ahead giving what a full run gives.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatLocal, parseLocal } from '../../../p2p/calendar/recurrence/civil.ts'
import { expand, type RecurrenceSet } from '../../../p2p/calendar/recurrence/expand.ts'
import { parseRule, RuleError } from '../../../p2p/calendar/recurrence/rule.ts'
import { toInstant, toLocal } from '../../../p2p/calendar/recurrence/zone.ts'

const NY = 'America/New_York'
const local = (text: string): number => parseLocal(text) as number

/** The set's occurrences from DTSTART, at most `max`, as local basic-format times (how the RFC lists them). */
function run (zone: string, start: string, rrule: string, options: { max?: number, exdates?: string[], rdates?: string[] } = {}): string[] {
  const rule = parseRule(rrule, { fromUtc: utc => utc, fromLocal: (l, isDate) => toInstant(zone, isDate ? l + 86_399_999 : l) })
  const set: RecurrenceSet = { start: local(start), rule, exdates: options.exdates?.map(local), rdates: options.rdates?.map(local) }
  const from = toInstant(zone, local(start))
  const { occurrences } = expand(set, zone, { from, to: from + 12 * 366 * 86_400_000, durationMs: 3_600_000 }, options.max ?? 400)
  return occurrences.map(o => formatLocal(o.local))
}

/** "19970902 3 4" → 19970902T090000, 19970903T090000, 19970904T090000: a month and its days at 09:00. */
function days (spec: string, time = '090000'): string[] {
  const out: string[] = []
  for (const group of spec.split(';')) {
    const [ym, ...ds] = group.trim().split(/\s+/) as [string, ...string[]]
    for (const d of ds) {
      const range = /^(\d+)-(\d+)$/.exec(d)
      const list = range == null ? [Number(d)] : Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i)
      for (const day of list) out.push(`${ym}${String(day).padStart(2, '0')}T${time}`)
    }
  }
  return out
}

const RFC_EXAMPLES: Array<{ name: string, start: string, rules: string[], max?: number, exdates?: string[], expected: string[] }> = [
  { name: 'daily for 10 occurrences', start: '19970902T090000', rules: ['FREQ=DAILY;COUNT=10'], expected: days('199709 2-11') },
  { name: 'daily until December 24, 1997', start: '19970902T090000', rules: ['FREQ=DAILY;UNTIL=19971224T000000Z'], expected: days('199709 2-30; 199710 1-31; 199711 1-30; 199712 1-23') },
  { name: 'every other day', start: '19970902T090000', rules: ['FREQ=DAILY;INTERVAL=2'], max: 20, expected: days('199709 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30; 199710 2 4 6 8 10') },
  { name: 'every 10 days, 5 occurrences', start: '19970902T090000', rules: ['FREQ=DAILY;INTERVAL=10;COUNT=5'], expected: days('199709 2 12 22; 199710 2 12') },
  {
    name: 'every day in January, for 3 years',
    start: '19980101T090000',
    rules: ['FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA', 'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1'],
    expected: days('199801 1-31; 199901 1-31; 200001 1-31')
  },
  { name: 'weekly for 10 occurrences', start: '19970902T090000', rules: ['FREQ=WEEKLY;COUNT=10'], expected: days('199709 2 9 16 23 30; 199710 7 14 21 28; 199711 4') },
  { name: 'weekly until December 24, 1997', start: '19970902T090000', rules: ['FREQ=WEEKLY;UNTIL=19971224T000000Z'], expected: days('199709 2 9 16 23 30; 199710 7 14 21 28; 199711 4 11 18 25; 199712 2 9 16 23') },
  { name: 'every other week', start: '19970902T090000', rules: ['FREQ=WEEKLY;INTERVAL=2;WKST=SU'], max: 13, expected: days('199709 2 16 30; 199710 14 28; 199711 11 25; 199712 9 23; 199801 6 20; 199802 3 17') },
  { name: 'weekly on Tuesday and Thursday for five weeks', start: '19970902T090000', rules: ['FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH', 'FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH'], expected: days('199709 2 4 9 11 16 18 23 25 30; 199710 2') },
  {
    name: 'every other week on Monday, Wednesday and Friday until December 24, 1997',
    start: '19970901T090000',
    rules: ['FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR'],
    expected: days('199709 1 3 5 15 17 19 29; 199710 1 3 13 15 17 27 29 31; 199711 10 12 14 24 26 28; 199712 8 10 12 22')
  },
  { name: 'every other week on Tuesday and Thursday, for 8 occurrences', start: '19970902T090000', rules: ['FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH'], expected: days('199709 2 4 16 18 30; 199710 2 14 16') },
  { name: 'monthly on the first Friday for 10 occurrences', start: '19970905T090000', rules: ['FREQ=MONTHLY;COUNT=10;BYDAY=1FR'], expected: days('199709 5; 199710 3; 199711 7; 199712 5; 199801 2; 199802 6; 199803 6; 199804 3; 199805 1; 199806 5') },
  { name: 'monthly on the first Friday until December 24, 1997', start: '19970905T090000', rules: ['FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR'], expected: days('199709 5; 199710 3; 199711 7; 199712 5') },
  { name: 'every other month on the first and last Sunday, 10 occurrences', start: '19970907T090000', rules: ['FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU'], expected: days('199709 7 28; 199711 2 30; 199801 4 25; 199803 1 29; 199805 3 31') },
  { name: 'monthly on the second-to-last Monday for 6 months', start: '19970922T090000', rules: ['FREQ=MONTHLY;COUNT=6;BYDAY=-2MO'], expected: days('199709 22; 199710 20; 199711 17; 199712 22; 199801 19; 199802 16') },
  { name: 'monthly on the third-to-the-last day of the month', start: '19970928T090000', rules: ['FREQ=MONTHLY;BYMONTHDAY=-3'], max: 6, expected: days('199709 28; 199710 29; 199711 28; 199712 29; 199801 29; 199802 26') },
  { name: 'monthly on the 2nd and 15th for 10 occurrences', start: '19970902T090000', rules: ['FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15'], expected: days('199709 2 15; 199710 2 15; 199711 2 15; 199712 2 15; 199801 2 15') },
  { name: 'monthly on the first and last day for 10 occurrences', start: '19970930T090000', rules: ['FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1'], expected: days('199709 30; 199710 1 31; 199711 1 30; 199712 1 31; 199801 1 31; 199802 1') },
  { name: 'every 18 months on the 10th to 15th for 10 occurrences', start: '19970910T090000', rules: ['FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15'], expected: days('199709 10-15; 199903 10-13') },
  { name: 'every Tuesday, every other month', start: '19970902T090000', rules: ['FREQ=MONTHLY;INTERVAL=2;BYDAY=TU'], max: 18, expected: days('199709 2 9 16 23 30; 199711 4 11 18 25; 199801 6 13 20 27; 199803 3 10 17 24 31') },
  { name: 'yearly in June and July for 10 occurrences', start: '19970610T090000', rules: ['FREQ=YEARLY;COUNT=10;BYMONTH=6,7'], expected: days('199706 10; 199707 10; 199806 10; 199807 10; 199906 10; 199907 10; 200006 10; 200007 10; 200106 10; 200107 10') },
  { name: 'every other year on January, February, and March for 10 occurrences', start: '19970310T090000', rules: ['FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3'], expected: days('199703 10; 199901 10; 199902 10; 199903 10; 200101 10; 200102 10; 200103 10; 200301 10; 200302 10; 200303 10') },
  { name: 'every third year on the 1st, 100th, and 200th day for 10 occurrences', start: '19970101T090000', rules: ['FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200'], expected: days('199701 1; 199704 10; 199707 19; 200001 1; 200004 9; 200007 18; 200301 1; 200304 10; 200307 19; 200601 1') },
  { name: 'every 20th Monday of the year', start: '19970519T090000', rules: ['FREQ=YEARLY;BYDAY=20MO'], max: 3, expected: days('199705 19; 199805 18; 199905 17') },
  { name: 'Monday of week number 20', start: '19970512T090000', rules: ['FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO'], max: 3, expected: days('199705 12; 199805 11; 199905 17') },
  { name: 'every Thursday in March', start: '19970313T090000', rules: ['FREQ=YEARLY;BYMONTH=3;BYDAY=TH'], max: 11, expected: days('199703 13 20 27; 199803 5 12 19 26; 199903 4 11 18 25') },
  { name: 'every Thursday, but only during June, July, and August', start: '19970605T090000', rules: ['FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8'], max: 13, expected: days('199706 5 12 19 26; 199707 3 10 17 24 31; 199708 7 14 21 28') },
  { name: 'every Friday the 13th', start: '19970902T090000', exdates: ['19970902T090000'], rules: ['FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'], max: 5, expected: days('199802 13; 199803 13; 199811 13; 199908 13; 200010 13') },
  { name: 'the first Saturday that follows the first Sunday of the month', start: '19970913T090000', rules: ['FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13'], max: 10, expected: days('199709 13; 199710 11; 199711 8; 199712 13; 199801 10; 199802 7; 199803 7; 199804 11; 199805 9; 199806 13') },
  { name: 'US presidential election day', start: '19961105T090000', rules: ['FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8'], max: 3, expected: days('199611 5; 200011 7; 200411 2') },
  { name: 'the third instance of Tuesday, Wednesday or Thursday, for 3 months', start: '19970904T090000', rules: ['FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3'], expected: days('199709 4; 199710 7; 199711 6') },
  { name: 'the second-to-last weekday of the month', start: '19970929T090000', rules: ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2'], max: 7, expected: days('199709 29; 199710 30; 199711 27; 199712 30; 199801 29; 199802 26; 199803 30') },
  {
    name: 'every 20 minutes from 9:00 to 16:40 every day',
    start: '19970902T090000',
    rules: ['FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40'],
    max: 26,
    expected: [...['09', '10', '11', '12', '13', '14', '15', '16'].flatMap(h => ['00', '20', '40'].map(m => `19970902T${h}${m}00`)), '19970903T090000', '19970903T092000']
  },
  { name: 'WKST=MO changes the weeks of an every-other-week rule', start: '19970805T090000', rules: ['FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO'], expected: days('199708 5 10 19 24') },
  { name: 'WKST=SU: the same rule, other days', start: '19970805T090000', rules: ['FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU'], expected: days('199708 5 17 19 31') },
  { name: 'an invalid date (February 30) is skipped', start: '20070115T090000', rules: ['FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5'], expected: days('200701 15 30; 200702 15; 200703 15 30') }
]

for (const example of RFC_EXAMPLES) {
  test(`RFC 5545 §3.8.5.3: ${example.name}`, () => {
    for (const rule of example.rules) assert.deepEqual(run(NY, example.start, rule, example), example.expected, rule)
  })
}

test('the RFC examples at their NY instants: 09:00 EDT then 09:00 EST after October 26, 1997', () => {
  const rule = parseRule('FREQ=WEEKLY;COUNT=10', { fromUtc: u => u, fromLocal: l => l })
  const { occurrences } = expand({ start: local('19970902T090000'), rule }, NY, { from: 0, to: Date.UTC(1998, 0), durationMs: 0 })
  assert.equal(new Date((occurrences[0]?.start) as number).toISOString(), '1997-09-02T13:00:00.000Z')
  assert.equal(new Date((occurrences[8]?.start) as number).toISOString(), '1997-10-28T14:00:00.000Z')
})

test('a yearly rule on February 30 yields no date at all, never one in March', () => {
  const rule = parseRule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', { fromUtc: u => u, fromLocal: l => l })
  const { occurrences } = expand({ start: local('20240130T100000'), rule }, 'Europe/Berlin', { from: 0, to: Date.UTC(2100, 0), durationMs: 3_600_000 })
  assert.deepEqual(occurrences.map(o => formatLocal(o.local)), ['20240130T100000']) // DTSTART only, always an instance
  assert.deepEqual(run('UTC', '20240229T100000', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3'), ['20240229T100000', '20280229T100000', '20320229T100000'])
  assert.deepEqual(run('UTC', '20250131T100000', 'FREQ=MONTHLY;COUNT=4'), ['20250131T100000', '20250331T100000', '20250531T100000', '20250731T100000'])
})

test('a weekly 10:00 in Berlin stays 10:00 Berlin across both DST changes of 2026', () => {
  const rule = parseRule('FREQ=WEEKLY;BYDAY=MO', { fromUtc: u => u, fromLocal: l => l })
  const { occurrences } = expand({ start: local('20260302T100000'), rule }, 'Europe/Berlin', { from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 10, 10), durationMs: 3_600_000 })
  for (const o of occurrences) assert.equal(formatLocal(toLocal('Europe/Berlin', o.start)).slice(9), '100000')
  const at = (day: string): string => new Date(occurrences.find(o => formatLocal(o.local).startsWith(day))?.start as number).toISOString()
  assert.equal(at('20260323'), '2026-03-23T09:00:00.000Z') // CET, UTC+1
  assert.equal(at('20260330'), '2026-03-30T08:00:00.000Z') // CEST from March 29
  assert.equal(at('20261019'), '2026-10-19T08:00:00.000Z')
  assert.equal(at('20261026'), '2026-10-26T09:00:00.000Z') // CET again from October 25
  // A viewer in New York (DST from March 8 to November 1, Berlin's from March 29 to October 25) sees
  // 04:00, then 05:00 while only New York is on summer time, 04:00, and 05:00 in the week only Berlin is back.
  const ny = (day: string): string => formatLocal(toLocal(NY, occurrences.find(o => formatLocal(o.local).startsWith(day))?.start as number)).slice(9, 13)
  assert.deepEqual(['20260302', '20260309', '20260323', '20260330', '20261019', '20261026', '20261102'].map(ny), ['0400', '0500', '0500', '0400', '0400', '0500', '0400'])
})

test('wall times in a DST gap or overlap follow RFC 5545 §3.3.5', () => {
  // 02:30 on March 29, 2026 does not exist in Berlin: read with the offset before the gap (+1), 03:30 CEST.
  assert.equal(new Date(toInstant('Europe/Berlin', local('20260329T023000'))).toISOString(), '2026-03-29T01:30:00.000Z')
  // 02:30 on October 25, 2026 happens twice: the first, still CEST.
  assert.equal(new Date(toInstant('Europe/Berlin', local('20261025T023000'))).toISOString(), '2026-10-25T00:30:00.000Z')
  // A daily 02:30 series across the gap keeps its other days at 02:30.
  const rule = parseRule('FREQ=DAILY;COUNT=3', { fromUtc: u => u, fromLocal: l => l })
  const { occurrences } = expand({ start: local('20260328T023000'), rule }, 'Europe/Berlin', { from: 0, to: Date.UTC(2027, 0), durationMs: 0 })
  assert.deepEqual(occurrences.map(o => formatLocal(toLocal('Europe/Berlin', o.start))), ['20260328T023000', '20260329T033000', '20260330T023000'])
  // Southern hemisphere and a half-hour zone.
  assert.equal(new Date(toInstant('Australia/Adelaide', local('20260105T090000'))).toISOString(), '2026-01-04T22:30:00.000Z')
  assert.equal(new Date(toInstant('Australia/Adelaide', local('20260705T090000'))).toISOString(), '2026-07-04T23:30:00.000Z')
})

test('EXDATE removes and RDATE adds instances; duplicates collapse', () => {
  assert.deepEqual(run('UTC', '20260101T090000', 'FREQ=DAILY;COUNT=4', { exdates: ['20260102T090000'], rdates: ['20260103T090000', '20260110T120000'] }),
    ['20260101T090000', '20260103T090000', '20260104T090000', '20260110T120000'])
})

test('a window far from DTSTART gives what expanding from DTSTART gives', () => {
  for (const text of ['FREQ=DAILY;INTERVAL=3', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO', 'FREQ=MONTHLY;INTERVAL=4;BYMONTHDAY=31']) {
    const rule = parseRule(text, { fromUtc: u => u, fromLocal: l => l })
    const set = { start: local('20000103T100000'), rule }
    const window = { from: Date.UTC(2030, 5, 1), to: Date.UTC(2031, 5, 1), durationMs: 3_600_000 }
    const skipped = expand(set, 'Europe/Berlin', window).occurrences
    const full = expand(set, 'Europe/Berlin', { ...window, from: 0 }, 1e6).occurrences.filter(o => o.start + 3_600_000 > window.from)
    assert.deepEqual(skipped, full, text)
    assert.ok(skipped.length > 0, text)
  }
})

test('rules a calendar does not take, or that are malformed, are refused saying why', () => {
  const ctx = { fromUtc: (u: number) => u, fromLocal: (l: number) => l }
  for (const [text, message] of [
    ['FREQ=HOURLY;INTERVAL=3', /FREQ=HOURLY is not supported/],
    ['FREQ=DAILY;COUNT=3;UNTIL=20260101T000000Z', /COUNT and UNTIL/],
    ['FREQ=MONTHLY;BYDAY=XX', /BYDAY: "XX"/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', /must not be 0/],
    ['FREQ=YEARLY;BYMONTH=13', /BYMONTH/],
    ['INTERVAL=2', /no FREQ/],
    ['FREQ=DAILY;UNTIL=20260230', /UNTIL=20260230/],
    ['FREQ=YEARLY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55,59', /more than 288 times a day/]
  ] as const) assert.throws(() => parseRule(text, ctx), (err: Error) => err instanceof RuleError && message.test(err.message), text)
  assert.equal(parseRule('FREQ=DAILY;X-NAME=1', ctx).freq, 'DAILY')
})

test('an expansion asked for more than its limit stops early and says it was cut', () => {
  const rule = parseRule('FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,30', { fromUtc: u => u, fromLocal: l => l })
  const { occurrences, truncated } = expand({ start: local('20260101T000000'), rule }, 'UTC', { from: Date.UTC(2026, 0, 1), to: Date.UTC(2027, 0, 1), durationMs: 0 }, 1000)
  assert.equal(occurrences.length, 1000)
  assert.equal(truncated, true)
})
