// The calendar through the UI of two real headless peers on 127.0.0.1: A creates a calendar, B joins
// with the invite, books while offline (tentative), comes back, syncs, and sees the booking committed;
// a clash shows as a conflict with what was asked for. Then the calendar is exported as .ics, A hands
// the primary role to B and retires.
import { readFile } from 'node:fs/promises'
import { test, expect, type Browser, type Page } from '@playwright/test'
import ICAL from 'ical.js'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole, type ConsoleWatch } from './ui-checks.ts'

test.describe.configure({ mode: 'serial' })

let a: HeadlessPeer | undefined
let b: HeadlessPeer | undefined

test.beforeAll(async () => {
  a = await startHeadlessPeer({ network: 'test-e2e-calendar' })
  b = await startHeadlessPeer({ network: 'test-e2e-calendar', extraArgs: ['--bootstrap', a.addrs[0]!] })
})
test.afterAll(async () => { await Promise.all([a?.stop(), b?.stop()]) })

/** As the UI writes a time: the browser runs in this process's zone and locale. */
const localTime = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false })

/** Opens the panel with the replicas, members and write log (closed by default). */
async function openHood (page: Page): Promise<void> {
  const hood = page.getByTestId('under-the-hood')
  if (await hood.getAttribute('open') == null) await hood.locator('summary').click()
}

function agendaItem (page: Page, title: string) {
  return page.locator(`[data-testid="agenda-event"][data-title="${title}"]`)
}

async function book (page: Page, title: string, alternatives: string[]): Promise<void> {
  const form = page.getByTestId('booking-form')
  await form.getByTestId('booking-title').fill(title)
  for (let i = 1; i < alternatives.length; i++) await form.getByTestId('booking-add-alternative').click()
  const inputs = form.getByTestId('booking-alternative')
  for (const [i, value] of alternatives.entries()) await inputs.nth(i).fill(value)
  await form.getByTestId('booking-submit').click()
  await expect(page.getByTestId('booking-result')).toContainText(/Written as/)
}

/** A page on each peer's calendar view, with its console watched. */
async function openCalendars (browser: Browser): Promise<{ pageA: Page, pageB: Page, watchA: ConsoleWatch, watchB: ConsoleWatch }> {
  if (a == null || b == null) throw new Error('peers did not start')
  const [pageA, pageB] = [await browser.newPage(), await browser.newPage()]
  const [watchA, watchB] = [watchConsole(pageA), watchConsole(pageB)]
  for (const [page, peer] of [[pageA, a], [pageB, b]] as const) {
    await page.goto(peer.uiUrl)
    await page.getByTestId('nav-calendar').click()
  }
  return { pageA, pageB, watchA, watchB }
}

test('book on a second peer while offline: tentative; sync: committed on both; a clash is a conflict', async ({ browser }) => {
  const { pageA, pageB, watchA, watchB } = await openCalendars(browser)
  await pageA.getByTestId('create-name').fill('Room 32-G882')
  await pageA.getByTestId('create-calendar').click()
  await expect(pageA.getByTestId('calendar-name')).toHaveText('Room 32-G882')
  await openHood(pageA)
  await expect(pageA.getByTestId('calendar-replica')).toHaveText('R')
  const invite = await pageA.getByTestId('invite-text').inputValue()
  expect(invite).toMatch(/^tidepool-calendar:/)
  await expect(pageA.getByAltText('Invite as a QR code')).toBeVisible()

  await pageB.getByTestId('join-invite').fill(invite)
  await pageB.getByTestId('join-calendar').click()
  await expect(pageB.getByTestId('calendar-name')).toHaveText('Room 32-G882')
  await openHood(pageB)
  await expect(pageB.getByTestId('calendar-replica')).toHaveText(/^<\d+,R>$/)
  await expect(pageB.getByTestId('member-row')).toHaveCount(2)

  // B goes offline and books: only B knows, and only tentatively.
  await pageB.getByTestId('online-toggle').click()
  await expect(pageB.getByTestId('online-toggle')).toHaveAttribute('aria-checked', 'false')
  await book(pageB, 'Hiring', ['2026-11-23T10:00', '2026-11-23T11:00'])
  await expect(agendaItem(pageB, 'Hiring')).toHaveAttribute('data-status', 'tentative')
  await expect(pageB.getByTestId('week-event').filter({ hasText: 'Hiring' })).toContainText('tentative')
  await expect(pageB.locator('[data-testid="write-row"][data-csn=""]')).toHaveCount(1)

  // Meanwhile A, the primary, books the same single slot: committed at once.
  await book(pageA, 'Staff', ['2026-11-23T10:00'])
  await expect(agendaItem(pageA, 'Staff')).toHaveAttribute('data-status', 'committed')
  // A tried to pass its booking on to B, and its member list says it can't reach B, and why.
  const bOnA = memberRow(pageA, b!.peerId).getByTestId('member-sync')
  await expect(bOnA).toHaveAttribute('data-sync', 'unreachable')
  await expect(bOnA).toContainText("Can't reach it:")

  // B comes back and syncs: its meeting is committed — at 11:00, since A's took 10:00 first.
  await pageB.getByTestId('online-toggle').click()
  await expect(pageB.getByTestId('online-toggle')).toHaveAttribute('aria-checked', 'true')
  await expect(async () => {
    await pageB.getByTestId('calendar-sync').click()
    await expect(pageB.getByTestId('sync-result')).toContainText('synced', { timeout: 3000 })
  }).toPass({ timeout: 30_000 })
  await expect(agendaItem(pageB, 'Hiring')).toHaveAttribute('data-status', 'committed')
  await expect(agendaItem(pageB, 'Hiring')).toContainText('11:00')
  await expect(memberRow(pageB, a!.peerId).getByTestId('member-sync')).toContainText('last synced')
  // B is told that the commit moved its meeting, in plain words; the write's details are under the hood.
  await expect(pageB.getByTestId('outcome-notices')).toContainText(`Hiring moved to ${localTime('2026-11-23T11:00:00.000Z')} because main was taken at ${localTime('2026-11-23T10:00:00.000Z')}.`)
  await expect(pageB.getByTestId('outcome-notices')).toContainText('now “booked 2026-11-23T11:00:00.000Z” (was “booked 2026-11-23T10:00:00.000Z”)')
  // …and the event itself keeps the note, across a reload; A's own meeting did not change.
  await expect(pageB.getByTestId('week-event').filter({ hasText: 'Hiring' })).toContainText('changed')
  await pageB.reload()
  await pageB.getByTestId('nav-calendar').click()
  await openHood(pageB)
  await expect(agendaItem(pageB, 'Hiring').getByTestId('event-changed')).toHaveText(/this reserve first gave “booked .*10:00”, now “booked .*11:00”/)
  await expect(agendaItem(pageB, 'Staff').getByTestId('event-changed')).toHaveCount(0)
  await expect(agendaItem(pageB, 'Staff')).toHaveAttribute('data-status', 'committed')
  await expect(agendaItem(pageA, 'Hiring')).toHaveAttribute('data-status', 'committed')
  await expect(pageB.locator('[data-testid="write-row"][data-csn=""]')).toHaveCount(0)

  // A clash with no free alternative is kept, shown as a conflict with what was asked for.
  await book(pageA, 'Clash', ['2026-11-23T10:00'])
  await expect(agendaItem(pageA, 'Clash')).toHaveAttribute('data-status', 'conflict')
  await expect(agendaItem(pageA, 'Clash')).toContainText('asked for')
  await expect(agendaItem(pageB, 'Clash')).toHaveAttribute('data-status', 'conflict') // pushed to B by itself

  // An .ics file imported through the UI keeps its event at its exact time (06:00 in Los Angeles).
  await pageA.getByTestId('calendar-import').setInputFiles('/work/shared/data/ics/minimal.ics')
  await expect(pageA.getByTestId('sync-result')).toHaveText('Imported 1 event (0 kept as conflicts).')
  await expect(agendaItem(pageA, 'Really long event name thing')).toHaveAttribute('data-status', 'committed')

  expect(watchA.problems()).toEqual([])
  expect(watchB.problems()).toEqual([])
})

function memberRow (page: Page, peerId: string) {
  return page.locator(`[data-testid="member-row"][data-peer-id="${peerId}"]`)
}

test('export .ics downloads the events; the primary hands off to B, then retires', async ({ browser }) => {
  if (a == null || b == null) throw new Error('peers did not start')
  const { pageA, pageB, watchA, watchB } = await openCalendars(browser)
  await expect(pageA.getByTestId('calendar-name')).toHaveText('Room 32-G882')
  await expect(pageB.getByTestId('calendar-name')).toHaveText('Room 32-G882')
  await openHood(pageA)
  await openHood(pageB)

  const [download] = await Promise.all([pageA.waitForEvent('download'), pageA.getByTestId('calendar-export').click()])
  expect(download.suggestedFilename()).toBe('Room 32-G882.ics')
  const calendar = new ICAL.Component(ICAL.parse(await readFile(await download.path(), 'utf8')))
  expect(calendar.name).toBe('vcalendar')
  const exported = calendar.getAllSubcomponents('vevent').map(v => new ICAL.Event(v))
  expect(exported.map(e => e.summary).sort()).toEqual(['Clash', 'Hiring', 'Really long event name thing', 'Staff'])
  expect(exported.find(e => e.summary === 'Hiring')?.startDate.toJSDate().toISOString()).toBe(new Date('2026-11-23T11:00').toISOString())

  // The primary cannot just leave: the API says why, and nothing changes.
  pageA.once('dialog', dialog => { void dialog.accept() })
  await memberRow(pageA, a.peerId).getByTestId('member-retire').click()
  await expect(pageA.getByRole('alert')).toContainText('hand the role to another member before retiring')
  await expect(memberRow(pageA, a.peerId)).toHaveAttribute('data-role', 'primary')

  // Handoff: a committed write; B learns it is the primary by itself (the write is pushed).
  await memberRow(pageA, b.peerId).getByTestId('member-handoff').click()
  await expect(memberRow(pageA, b.peerId)).toHaveAttribute('data-role', 'primary')
  await expect(memberRow(pageB, b.peerId)).toHaveAttribute('data-role', 'primary')
  await expect(pageB.getByTestId('member-handoff')).toHaveCount(1) // B, now primary, could hand it back
  await expect(pageA.getByTestId('member-handoff')).toHaveCount(0)

  // Now A may retire; B commits the retirement and shows A as retired.
  pageA.once('dialog', dialog => { void dialog.accept() })
  await memberRow(pageA, a.peerId).getByTestId('member-retire').click()
  await expect(memberRow(pageA, a.peerId)).toHaveAttribute('data-role', 'retired')
  await expect(memberRow(pageB, a.peerId)).toHaveAttribute('data-role', 'retired')
  await expect(pageA.getByTestId('member-retire')).toHaveCount(0)

  expect(watchA.problems({ allowHttpErrors: true })).toEqual([])
  expect(watchB.problems()).toEqual([])
})
