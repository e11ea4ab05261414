// The week grid with series: a weekly series from the API shows on every week, side by side with an
// event it overlaps, an all-day event sits in its row, the grid opens at working hours, and Today
// comes back to the current week. Screenshots at 1000 and 1400 px wide.
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole } from './ui-checks.ts'

let peer: HeadlessPeer | undefined

test.beforeAll(async () => { peer = await startHeadlessPeer({ network: 'test-e2e-calendar-week' }) })
test.afterAll(async () => { await peer?.stop() })

async function api (path: string, body: unknown): Promise<any> {
  if (peer == null) throw new Error('no peer')
  const res = await fetch(peer.api + path, { method: 'POST', headers: { authorization: `Bearer ${peer.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(200)
  return await res.json()
}

/** YYYY-MM-DD of the Monday of this week, in the browser's (and this process's) zone. */
function monday (offsetWeeks: number): string {
  const d = new Date()
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) + 7 * offsetWeeks)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

test('series, overlaps side by side, all-day row, working hours, Today', async ({ page }) => {
  if (peer == null) throw new Error('no peer')
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const { id } = await api('/api/calendars', { name: 'Team' })
  await api(`/api/calendars/${id}/writes`, { op: 'schedule', title: 'Standup', room: 'Room A', start: `${monday(-2)}T10:00`, zone, durationMinutes: 60, rrule: 'FREQ=WEEKLY;BYDAY=MO,WE' })
  await api(`/api/calendars/${id}/writes`, { op: 'schedule', title: 'Interview', room: 'Room B', start: `${monday(0)}T10:30`, zone, durationMinutes: 60 })
  await api(`/api/calendars/${id}/writes`, { op: 'schedule', title: 'Offsite', start: monday(0), durationMinutes: 2 * 1440 })
  const watch = watchConsole(page)
  for (const width of [1000, 1400]) {
    await page.setViewportSize({ width, height: 900 })
    await page.goto(peer.uiUrl)
    await page.getByTestId('nav-calendar').click()
    const week = page.getByTestId('week-grid')
    const standups = week.getByTestId('week-event').filter({ hasText: 'Standup' })
    await expect(standups).toHaveCount(2)
    const interview = week.getByTestId('week-event').filter({ hasText: 'Interview' })
    const [a, b] = [await standups.first().boundingBox(), await interview.boundingBox()]
    expect(a != null && b != null && (a.x + a.width <= b.x + 1 || b.x + b.width <= a.x + 1)).toBe(true) // side by side
    await expect(week.locator('.cal-allday [data-testid="week-event"]').filter({ hasText: 'Offsite' })).toHaveCount(2)
    expect(await week.locator('.cal-week-scroll').evaluate(el => el.scrollTop)).toBe(8 * 36)
    await week.scrollIntoViewIfNeeded()
    await week.screenshot({ path: `test-results/calendar-week-${width}.png` })
  }
  await page.getByRole('button', { name: 'Next week' }).click()
  await page.getByRole('button', { name: 'Next week' }).click()
  await expect(page.getByTestId('week-grid').getByTestId('week-event').filter({ hasText: 'Standup' })).toHaveCount(2) // a series has no last week
  await page.getByTestId('week-today').click()
  await expect(page.getByTestId('week-grid').getByTestId('week-event').filter({ hasText: 'Interview' })).toHaveCount(1)
  expect(watch.problems()).toEqual([])
})
