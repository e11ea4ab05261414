// The DHT view on a Kademlia network: the routing table drawn by distance, live, and a lookup that lists
// the peers that answered.
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole } from './ui-checks.ts'

const NETWORK = 'test-e2e-kad'
let a: HeadlessPeer | undefined
let b: HeadlessPeer | undefined

test.beforeAll(async () => { a = await startHeadlessPeer({ network: NETWORK }) })
test.afterAll(async () => { await Promise.all([a?.stop(), b?.stop()]) })

test('the routing table is drawn and grows live; a lookup lists who answered', async ({ page }) => {
  const watch = watchConsole(page)
  await page.goto(a!.uiUrl)
  await page.getByTestId('nav-dht').click()
  await expect(page.getByText('No peers in the routing table yet.')).toBeVisible()

  // A peer that joins shows up in the drawing without a reload.
  b = await startHeadlessPeer({ network: NETWORK, extraArgs: ['--bootstrap', a!.addrs[0]!] })
  const dot = page.getByTestId('kad-peer')
  await expect(dot.first()).toBeVisible({ timeout: 30_000 })
  await expect(dot.first().locator('title')).toContainText(b.peerId)

  await page.getByTestId('lookup-key').fill('hello')
  await page.getByTestId('lookup-button').click()
  await expect(page.getByTestId('lookup-contacted')).toHaveText(/^[1-9]\d* peers? asked$/, { timeout: 30_000 })
  await expect(page.getByTestId('lookup-found')).toContainText(b.peerId.slice(-6))
  await page.screenshot({ path: test.info().outputPath('kademlia.png'), fullPage: true })
  expect(watch.problems()).toEqual([])
})
