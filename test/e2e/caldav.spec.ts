// The Calendar view's CalDAV panel on a real headless peer: it shows this peer's CalDAV address, and
// its copy button puts the password (the API token) on the clipboard — which then opens the CalDAV
// endpoint, as a calendar app would use it. The panel passes axe.
import AxeBuilder from '@axe-core/playwright'
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole } from './ui-checks.ts'

let peer: HeadlessPeer | undefined

test.beforeAll(async () => { peer = await startHeadlessPeer({ network: 'test-e2e-caldav' }) })
test.afterAll(async () => { await peer?.stop() })

test('the CalDAV panel shows the address, and copies the password that opens it', async ({ page, context }) => {
  if (peer == null) throw new Error('the peer did not start')
  const origin = new URL(peer.uiUrl).origin
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin })
  const watch = watchConsole(page)
  await page.goto(peer.uiUrl)
  await page.getByTestId('nav-calendar').click()
  const panel = page.getByTestId('caldav-panel')
  await expect(panel.getByRole('heading', { name: /CalDAV/ })).toBeVisible()
  const url = `${origin}/dav/`
  await expect(panel.getByTestId('caldav-url')).toHaveText(url)
  expect(await panel.textContent()).not.toContain(peer.token) // the password is copied, never shown

  await panel.getByRole('button', { name: 'Copy the CalDAV password' }).click()
  await expect(panel.getByRole('button', { name: 'Copy the CalDAV password' })).toHaveText('Copied')
  const password = await page.evaluate(async () => await navigator.clipboard.readText())
  expect(password).toBe(peer.token)
  await panel.getByRole('button', { name: 'Copy the CalDAV address' }).click()
  expect(await page.evaluate(async () => await navigator.clipboard.readText())).toBe(url)

  const found = await fetch(url, { method: 'PROPFIND', headers: { authorization: 'Basic ' + Buffer.from(`me:${password}`).toString('base64'), depth: '0' } })
  expect(found.status).toBe(207)

  await panel.getByText('How to add it').click()
  await expect(panel.getByText(/adb reverse/)).toBeVisible()
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="caldav-panel"]').analyze()
  expect(violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.html).join(", ")})`)).toEqual([])
  expect(watch.problems()).toEqual([])
})
