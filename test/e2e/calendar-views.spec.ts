// The calendar's views and editor through the UI of one headless peer: month, week and day views with
// Today and previous/next; a weekly series from the API on every week, side by side with an event it
// overlaps; creating by clicking a free slot (one-off, all-day, weekly series); editing a recurring
// event for this event, this and following, all events; moving by drag and by keyboard; a reminder
// at its time, once; axe-core and the overflow check on each view and the dialog at 1000 and 1400 px.
import { test, expect, type Locator, type Page } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { seriousAxeViolations, spills, watchConsole, type ConsoleWatch } from './ui-checks.ts'

test.describe.configure({ mode: 'serial' })

let peer: HeadlessPeer | undefined
let page: Page
let watch: ConsoleWatch
let calendarId = ''
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone

async function api (path: string, body?: unknown): Promise<any> {
  if (peer == null) throw new Error('no peer')
  const res = await fetch(peer.api + path, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${peer.token}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  expect(res.status).toBe(200)
  return await res.json()
}

/** YYYY-MM-DD of a day of this week (0: Monday), in the browser's (and this process's) zone. */
function day (offsetDays: number, offsetWeeks = 0): string {
  const d = new Date()
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) + offsetDays + 7 * offsetWeeks)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
const hhmm = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false })

const grid = (): Locator => page.getByTestId('time-grid')
const events = (title: string): Locator => page.getByTestId('week-event').filter({ hasText: title })
const column = (date: string): Locator => page.locator(`[data-testid="day-column"][data-date="${date}"]`)

/** Clicks the free slot at `hour` on `date` in the week or day view. */
async function clickSlot (date: string, hour: number): Promise<void> {
  await column(date).click({ position: { x: 5, y: hour * 36 + 5 } })
}

async function occurrences (): Promise<any[]> {
  const from = new Date(`${day(0, -1)}T00:00`).toISOString()
  const to = new Date(`${day(0, 3)}T00:00`).toISOString()
  return (await api(`/api/calendars/${calendarId}/occurrences?from=${from}&to=${to}`)).occurrences
}

test.beforeAll(async ({ browser }) => {
  peer = await startHeadlessPeer({ network: 'test-e2e-calendar-views' })
  calendarId = (await api('/api/calendars', { name: 'Team' })).id
  // axe-core's Playwright runner needs a page of a context made with browser.newContext().
  page = await (await browser.newContext()).newPage()
  watch = watchConsole(page)
  await page.goto(peer.uiUrl)
  await page.getByTestId('nav-calendar').click()
  await page.getByTestId('cal-mode-week').click()
})
test.afterAll(async () => {
  await page?.context().close()
  await peer?.stop()
})

test('series, overlaps side by side, all-day row, working hours; month, week and day at 1000 and 1400 px', async ({}, info) => {
  test.setTimeout(120_000)
  await api(`/api/calendars/${calendarId}/writes`, { op: 'schedule', title: 'Standup', room: 'Room A', start: `${day(0, -2)}T10:00`, zone, durationMinutes: 60, rrule: 'FREQ=WEEKLY;BYDAY=MO,WE' })
  await api(`/api/calendars/${calendarId}/writes`, { op: 'schedule', title: 'Interview', room: 'Room B', start: `${day(0)}T10:30`, zone, durationMinutes: 60 })
  await api(`/api/calendars/${calendarId}/writes`, { op: 'schedule', title: 'Offsite', start: day(0), durationMinutes: 2 * 1440 })
  for (const width of [1000, 1400]) {
    await page.setViewportSize({ width, height: 900 })
    await page.getByTestId('cal-mode-week').click()
    const standups = grid().getByTestId('week-event').filter({ hasText: 'Standup' })
    await expect(standups).toHaveCount(2)
    const [a, b] = [await standups.first().boundingBox(), await events('Interview').boundingBox()]
    expect(a != null && b != null && (a.x + a.width <= b.x + 1 || b.x + b.width <= a.x + 1)).toBe(true) // side by side
    await expect(grid().locator('.cal-allday [data-testid="week-event"]').filter({ hasText: 'Offsite' })).toHaveCount(2)
    expect(await grid().locator('.cal-time-scroll').evaluate(el => el.scrollTop)).toBe(8 * 36)
    for (const mode of ['week', 'day', 'month'] as const) {
      await page.getByTestId(`cal-mode-${mode}`).click()
      await expect(page.getByTestId(mode === 'month' ? 'month-grid' : 'time-grid')).toBeVisible()
      await page.getByTestId('calendar-name').scrollIntoViewIfNeeded()
      await page.screenshot({ path: info.outputPath(`calendar-${mode}-${width}.png`), fullPage: true })
      expect.soft(await spills(page), `${mode} at ${width} px`).toEqual([])
      // axe's findings do not depend on the width, and a run over the whole page takes ~15 s here: once,
      // at 1000 px, over the board (layout.spec.ts checks the whole view); the day view is the week's
      // component with one column.
      if (width === 1000 && mode !== 'day') expect.soft(await seriousAxeViolations(page, '.cal-board'), `axe on ${mode}`).toEqual([])
    }
  }
  await page.getByTestId('cal-mode-week').click()
  await page.getByRole('button', { name: 'Next week' }).click()
  await page.getByRole('button', { name: 'Next week' }).click()
  await expect(events('Standup')).toHaveCount(2) // a series has no last week
  await page.getByTestId('cal-today').click()
  await expect(events('Interview')).toHaveCount(1)

  // The agenda: an all-day event by its dates (never 00:00–00:00), a series as one item that repeats,
  // whose Cancel asks before it cancels every occurrence — declined here, so nothing goes.
  const agenda = (title: string) => page.locator(`[data-testid="agenda-event"][data-title="${title}"]`)
  await expect(agenda('Offsite')).toContainText('all day')
  await expect(agenda('Offsite')).not.toContainText('00:00')
  await expect(agenda('Standup')).toContainText('repeats')
  let asked = ''
  page.once('dialog', dialog => { asked = dialog.message(); void dialog.dismiss() })
  await agenda('Standup').getByRole('button', { name: 'Cancel all of Standup' }).click()
  expect(asked).toContain('every occurrence of “Standup”')
  await expect(agenda('Standup')).toHaveCount(1)
  expect((await occurrences()).filter(o => o.title === 'Standup').length).toBeGreaterThan(0)
})

test('month and day views: previous/next, a day opened from the month, Today', async () => {
  await page.getByTestId('cal-mode-month').click()
  const now = new Date()
  const monthTitle = now.toLocaleDateString([], { month: 'long', year: 'numeric' })
  await expect(page.getByTestId('cal-title')).toHaveText(monthTitle)
  await expect(page.locator(`[data-testid="month-day"][data-date="${day(0)}"]`).getByTestId('week-event').filter({ hasText: 'Offsite' })).toHaveCount(1)
  await page.getByTestId('cal-next').click()
  const next = new Date(now.getFullYear(), now.getMonth() + 1, 1)
  await expect(page.getByTestId('cal-title')).toHaveText(next.toLocaleDateString([], { month: 'long', year: 'numeric' }))
  await page.getByTestId('cal-previous').click()
  await page.getByTestId('cal-previous').click()
  await page.getByTestId('cal-today').click()
  await expect(page.getByTestId('cal-title')).toHaveText(monthTitle)
  // The Monday's number opens that day, with its events.
  await page.locator(`[data-testid="month-day"][data-date="${day(0)}"] .cal-month-date`).click()
  await expect(page.getByTestId('cal-mode-day')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('day-column')).toHaveCount(1)
  await expect(page.getByTestId('day-column')).toHaveAttribute('data-date', day(0))
  await expect(events('Interview')).toHaveCount(1)
  await page.getByTestId('cal-next').click()
  await expect(page.getByTestId('day-column')).toHaveAttribute('data-date', day(1))
  await page.getByTestId('cal-mode-week').click()
})

test('click a free slot to create: a one-off, an all-day event, a weekly series', async () => {
  await page.setViewportSize({ width: 1400, height: 900 })
  await clickSlot(day(2), 14)
  const dialog = page.getByTestId('event-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('event-start-time')).toHaveValue('14:00')
  await expect(dialog.getByTestId('event-end-time')).toHaveValue('15:00')
  await expect(dialog.getByTestId('event-zone')).toHaveValue(zone)
  await dialog.getByTestId('event-title').fill('Design review')
  await dialog.getByTestId('event-room').fill('Room C')
  await dialog.getByTestId('event-attendees').fill('Ana, Bo')
  await dialog.getByTestId('event-description').fill('Bring the mock-ups')
  await dialog.getByTestId('event-save').click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByTestId('board-status')).toContainText('“Design review” added')
  await expect(events('Design review')).toHaveAttribute('data-start', new Date(`${day(2)}T14:00`).toISOString())
  const review = (await occurrences()).find(o => o.title === 'Design review')
  expect([review.room, review.attendees, review.description, review.zone]).toEqual(['Room C', 'Ana, Bo', 'Bring the mock-ups', zone])

  // All-day, by the all-day row of Thursday; two days long.
  await page.locator(`[data-testid="allday-slot"][data-date="${day(3)}"]`).click({ position: { x: 3, y: 3 } })
  await expect(dialog.getByTestId('event-all-day')).toBeChecked()
  await dialog.getByTestId('event-title').fill('Conference')
  await dialog.getByTestId('event-end-date').fill(day(4))
  await dialog.getByTestId('event-save').click()
  await expect(grid().locator('.cal-allday [data-testid="week-event"]').filter({ hasText: 'Conference' })).toHaveCount(2)

  // A weekly series on Tuesdays and Thursdays at 16:00, 6 times.
  await clickSlot(day(1), 16)
  await dialog.getByTestId('event-title').fill('Pairing')
  await dialog.getByTestId('event-repeat').selectOption('custom')
  await dialog.getByTestId('event-frequency').selectOption('WEEKLY')
  await dialog.getByTestId('event-day-TH').check()
  await expect(dialog.getByTestId('event-day-TU')).toBeChecked()
  await dialog.getByTestId('event-ends').selectOption('count')
  await dialog.getByTestId('event-count').fill('6')
  await page.screenshot({ path: test.info().outputPath('calendar-dialog-1400.png') })
  await page.setViewportSize({ width: 1000, height: 900 })
  await page.screenshot({ path: test.info().outputPath('calendar-dialog-1000.png') })
  expect.soft(await spills(page), 'the dialog at 1000 px').toEqual([])
  await page.setViewportSize({ width: 1400, height: 900 })
  await dialog.getByTestId('event-save').click()
  await expect(events('Pairing')).toHaveCount(2)
  const pairing = (await occurrences()).filter(o => o.title === 'Pairing')
  expect(pairing.length).toBe(6)
  expect(pairing[0].rrule).toBe('FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH')
  await page.getByTestId('cal-next').click()
  await expect(events('Pairing')).toHaveCount(2)
  await page.getByTestId('cal-today').click()
})

/** Opens the occurrence of `title` on `date` in the week shown. */
async function openOn (title: string, date: string): Promise<Locator> {
  await column(date).getByTestId('week-event').filter({ hasText: title }).click()
  const dialog = page.getByTestId('event-dialog')
  await expect(dialog).toBeVisible()
  return dialog
}

test('edit a recurring event: this event, this and following, all events', async () => {
  // This event: Tuesday's Pairing renamed; Thursday's stays.
  let dialog = await openOn('Pairing', day(1))
  await expect(dialog.getByTestId('event-repeats')).toHaveText('Weekly on Tue, Thu, 6 times')
  await dialog.getByTestId('event-title').fill('Pairing (moved room)')
  await dialog.getByTestId('scope-this').check()
  await dialog.getByTestId('event-save').click()
  await expect(events('Pairing (moved room)')).toHaveCount(1)
  await expect(column(day(3)).getByTestId('week-event').filter({ hasText: 'Pairing' })).toHaveCount(1)

  // This and following, from Thursday: an hour later from there on.
  dialog = await openOn('Pairing', day(3))
  await dialog.getByTestId('scope-following').check()
  await dialog.getByTestId('event-start-time').fill('17:00')
  await dialog.getByTestId('event-end-time').fill('18:00')
  await dialog.getByTestId('event-save').click()
  await expect(page.getByTestId('board-status')).toContainText('this and following events')
  await expect.poll(async () => (await occurrences()).filter(o => o.title.startsWith('Pairing')).map(o => hhmm(o.start)))
    .toEqual(['16:00', '17:00', '17:00', '17:00', '17:00', '17:00'])

  // All events (opened on the continuation): titled anew; the first part keeps its own title.
  dialog = await openOn('Pairing', day(3))
  await dialog.getByTestId('scope-all').check()
  await dialog.getByTestId('event-title').fill('Mob programming')
  await dialog.getByTestId('event-save').click()
  await expect.poll(async () => (await occurrences()).filter(o => /Pairing|Mob/.test(o.title)).map(o => o.title))
    .toEqual(['Pairing (moved room)', 'Mob programming', 'Mob programming', 'Mob programming', 'Mob programming', 'Mob programming'])

  // All events of the Standup series: one hour later, every week, reminding 10 minutes before.
  const standups = async (): Promise<string[]> => [...new Set((await occurrences()).filter(o => o.title === 'Standup').map(o => `${hhmm(o.start)} ${o.reminderMinutes}`))]
  dialog = await openOn('Standup', day(2))
  await dialog.getByTestId('scope-all').check()
  await dialog.getByTestId('event-start-time').fill('11:00')
  await dialog.getByTestId('event-end-time').fill('12:00')
  await dialog.getByTestId('event-reminder').selectOption({ label: '10 minutes before' })
  await dialog.getByTestId('event-save').click()
  await expect.poll(standups).toEqual(['11:00 10'])
  // Its reminder set to None for all events: none left.
  dialog = await openOn('Standup', day(2))
  await expect(dialog.getByTestId('event-reminder')).toHaveValue('10')
  await dialog.getByTestId('scope-all').check()
  await dialog.getByTestId('event-reminder').selectOption({ label: 'None' })
  await dialog.getByTestId('event-save').click()
  await expect.poll(standups).toEqual(['11:00 null'])

  // Cancel this event only: Monday's Standup goes, Wednesday's stays.
  dialog = await openOn('Standup', day(0))
  await dialog.getByTestId('scope-this').check()
  await dialog.getByTestId('event-cancel').click()
  await expect(events('Standup')).toHaveCount(1)
})

test('drag to move: a one-off directly, a recurring one after asking which events', async () => {
  const review = events('Design review')
  const box = await review.boundingBox()
  if (box == null) throw new Error('no box')
  await page.mouse.move(box.x + box.width / 2, box.y + 5)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2, box.y + 5 + 36, { steps: 4 })
  await page.mouse.move(box.x + box.width / 2, box.y + 5 + 72, { steps: 4 })
  await expect(page.getByTestId('move-ghost')).toContainText('16:00')
  await page.mouse.up()
  await expect(review).toHaveAttribute('data-start', new Date(`${day(2)}T16:00`).toISOString())

  // Wednesday's Standup dragged a day later (to Thursday) at the same hour: "this event" only.
  const standup = column(day(2)).getByTestId('week-event').filter({ hasText: 'Standup' })
  const from = await standup.boundingBox()
  const to = await column(day(3)).boundingBox()
  if (from == null || to == null) throw new Error('no box')
  await page.mouse.move(from.x + 5, from.y + 5)
  await page.mouse.down()
  await page.mouse.move(to.x + 5, from.y + 5, { steps: 6 })
  await page.mouse.up()
  const ask = page.getByTestId('scope-dialog')
  await expect(ask).toBeVisible()
  await ask.getByTestId('scope-this').click()
  await expect(column(day(3)).getByTestId('week-event').filter({ hasText: 'Standup' })).toHaveCount(1)
  await expect(column(day(2)).getByTestId('week-event').filter({ hasText: 'Standup' })).toHaveCount(0)
  // Next week's Wednesday is where it was.
  await page.getByTestId('cal-next').click()
  await expect(column(day(2, 1)).getByTestId('week-event').filter({ hasText: 'Standup' })).toHaveCount(1)
  await page.getByTestId('cal-today').click()
})

test('by keyboard: new event, dialog focus trap and Escape, open and move an event with the arrow keys', async () => {
  await page.getByTestId('cal-new').focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('event-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('event-title')).toBeFocused()
  // Tab stays inside the dialog, round and round (each focus outside it is counted).
  await page.evaluate(() => {
    (window as any).focusOutside = 0
    document.addEventListener('focusin', e => { if ((e.target as Element).closest('dialog') == null) (window as any).focusOutside++ })
  })
  for (let i = 0; i < 30; i++) await page.keyboard.press(i % 10 === 9 ? 'Shift+Tab' : 'Tab')
  expect(await page.evaluate(() => (window as any).focusOutside)).toBe(0)
  expect(await page.evaluate(() => document.activeElement?.closest('dialog') != null)).toBe(true)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(page.getByTestId('cal-new')).toBeFocused()

  await page.keyboard.press('Enter')
  await expect(dialog.getByTestId('event-title')).toBeFocused()
  await page.keyboard.type('Keyboard made')
  await dialog.getByTestId('event-start-date').fill(day(4))
  await dialog.getByTestId('event-start-time').fill('09:00')
  await dialog.getByTestId('event-end-date').fill(day(4))
  await dialog.getByTestId('event-end-time').fill('09:30')
  await dialog.getByTestId('event-title').press('Enter')
  await expect(dialog).toHaveCount(0)
  const made = events('Keyboard made')
  await expect(made).toHaveAttribute('data-start', new Date(`${day(4)}T09:00`).toISOString())

  // Focus it, four steps down (15 minutes each) and one day left, Enter: moved to Thursday 10:00.
  await made.focus()
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowLeft']) await page.keyboard.press(key)
  await expect(page.getByTestId('move-status')).toContainText('Enter to save')
  await page.keyboard.press('Enter')
  await expect(events('Keyboard made')).toHaveAttribute('data-start', new Date(`${day(3)}T10:00`).toISOString())
  // Enter on it (no move pending) opens it; Escape closes.
  await events('Keyboard made').focus()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeVisible()
  expect.soft(await seriousAxeViolations(page, 'dialog'), 'axe on the open dialog').toEqual([])
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  expect(watch.problems()).toEqual([])
})

test('a reminder shows at its time, once, and as an OS notification', async ({ browser }) => {
  const context = await browser.newContext()
  const p = await context.newPage()
  // An OS notification is recorded, not shown (headless Chromium has none to show).
  await p.addInitScript(() => {
    const shown: string[] = []
    ;(window as any).shownNotifications = shown
    ;(window as any).Notification = class { static permission = 'granted'; static requestPermission = async () => 'granted'; constructor (title: string) { shown.push(title) } }
  })
  const now = Date.now()
  await p.clock.install({ time: now })
  // 10:00 from now, reminding 5 minutes before: due 5 minutes from now.
  const start = new Date(Math.ceil((now + 10 * 60_000) / 60_000) * 60_000)
  const wall = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
  await api(`/api/calendars/${calendarId}/writes`, { op: 'schedule', title: 'Dentist', start: wall(start), zone, durationMinutes: 30, reminderMinutes: 5 })
  const fetched = p.waitForResponse(r => r.url().includes('/occurrences'))
  await p.goto(peer!.uiUrl)
  await fetched
  await expect(p.getByTestId('start-view')).toBeVisible()
  await expect(p.getByTestId('reminder')).toHaveCount(0)
  const due = start.getTime() - 5 * 60_000
  await p.clock.runFor(due - 30_000 - now)
  await expect(p.getByTestId('reminder')).toHaveCount(0)
  await p.clock.runFor(31_000)
  await expect(p.getByTestId('reminder')).toHaveText(/Dentist starts in 5 minutes/)
  expect(await p.evaluate(() => (window as any).shownNotifications)).toEqual(['Dentist'])
  // Once: not again after a reload.
  await p.reload()
  await expect(p.getByTestId('start-view')).toBeVisible()
  await p.clock.runFor(60_000)
  await expect(p.getByTestId('reminder')).toHaveCount(0)
  await context.close()
})
