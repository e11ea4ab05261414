// Every view at 1000 px and 1400 px: nothing spills out of its card or widens the page, and axe-core
// finds no serious or critical accessibility violation. A screenshot of each is kept with the results.
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { eventually } from '../support/peer-process.ts'
import { seriousAxeViolations, spills } from './ui-checks.ts'

test.describe.configure({ mode: 'serial' })

const VIEWS = ['start', 'peers', 'files', 'calendar', 'ledger', 'dht'] as const
const WIDTHS = [1000, 1400] as const
/** Mined on the test chain before the checks: more rewards than one page of payments holds. */
const BLOCKS = 12

let peer: HeadlessPeer | undefined

async function api (path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${peer!.api}${path}`, { ...init, headers: { authorization: `Bearer ${peer!.token}`, ...init.headers } })
  expect(res.ok, `${init.method ?? 'GET'} ${path}: ${res.status}`).toBe(true)
  return res
}

test.beforeAll(async () => {
  peer = await startHeadlessPeer({ network: 'test-e2e-layout', extraArgs: ['--chain', 'test'] })
  // Content that stretches layouts: a long file name, a chain with a wallet history longer than a page.
  await api(`/api/files?name=${encodeURIComponent('a-rather-long-file-name-from-the-quarterly-report-final-v2.tar.gz')}`, {
    method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(5000)
  })
  await api('/api/mining', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true, threads: 1, blocks: BLOCKS }) })
  await eventually('blocks mined', async () => await (await api('/api/chain')).json() as { height: number }, c => c.height >= BLOCKS, 60_000)
})
test.afterAll(async () => { await peer?.stop() })

for (const width of WIDTHS) {
  test(`every view fits at ${width} px and passes axe`, async ({ page }, info) => {
    // Six views, each with a full-page screenshot and an axe run: more than the default minute on a busy machine.
    test.setTimeout(180_000)
    await page.setViewportSize({ width, height: 900 })
    await page.goto(peer!.uiUrl)
    await expect(page.getByTestId('start-view')).toBeVisible()
    for (const view of VIEWS) {
      await page.getByTestId(`nav-${view}`).click()
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
      await expect(page.locator('.loading')).toHaveCount(0)
      await page.screenshot({ path: info.outputPath(`${view}-${width}.png`), fullPage: true })
      expect.soft(await spills(page), `${view} at ${width} px`).toEqual([])
      expect.soft(await seriousAxeViolations(page), `axe on ${view} at ${width} px`).toEqual([])
    }
  })
}

test('the payments list is paginated', async ({ page }) => {
  await page.goto(peer!.uiUrl)
  await page.getByTestId('nav-ledger').click()
  await expect(page.getByTestId('payment')).toHaveCount(10)
  const pager = page.getByTestId('pager')
  await expect(pager.getByTestId('pager-state')).toContainText('Page 1 of 2')
  await pager.getByRole('button', { name: 'Next' }).click()
  await expect(pager.getByTestId('pager-state')).toContainText('Page 2 of 2')
  await expect(page.getByTestId('payment')).not.toHaveCount(0)
  // Mining is off (the blocks asked for are mined): the hash rate says so.
  await expect(page.getByTestId('hash-rate')).toHaveText('0 H/s')
})
