// Two real headless peers on the test chain; through A's UI: mine blocks, send coins to B, and watch
// the payment's confirmation count rise; B's UI shows the coins.
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole } from './ui-checks.ts'

test.describe.configure({ mode: 'serial' })

const NETWORK = 'test-e2e-ledger'
let a: HeadlessPeer | undefined
let b: HeadlessPeer | undefined

test.beforeAll(async () => {
  a = await startHeadlessPeer({ network: NETWORK, extraArgs: ['--chain', 'test'] })
  b = await startHeadlessPeer({ network: NETWORK, extraArgs: ['--chain', 'test', '--bootstrap', a.addrs[0]!] })
})

test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
})

async function getJson<T> (peer: HeadlessPeer, path: string): Promise<T> {
  const res = await fetch(`${peer.api}${path}`, { headers: { authorization: `Bearer ${peer.token}` } })
  return await res.json() as T
}

async function addressOf (peer: HeadlessPeer): Promise<string> {
  return (await getJson<{ address: string }>(peer, '/api/wallet')).address
}

test('mine blocks, send coins to a second peer, and see the confirmations rise', async ({ page }) => {
  if (a == null || b == null) throw new Error('peers did not start')
  const watch = watchConsole(page)
  await page.goto(a.uiUrl)
  await page.getByTestId('nav-ledger').click()
  await expect(page.getByTestId('chain-height')).toHaveText('0')
  // The mempool's byte cap and orphan count, as the API reports them.
  const { maxBytes } = await getJson<{ maxBytes: number }>(a, '/api/mempool')
  const capacity = page.getByTestId('mempool-capacity')
  await expect(capacity).toHaveAttribute('data-max-bytes', String(maxBytes))
  await expect(capacity).toHaveAttribute('data-orphans', '0')
  await expect(capacity).toContainText('0 orphans waiting for an unknown parent')

  await page.getByTestId('mining-threads').fill('1')
  await page.getByTestId('mining-toggle').click()
  await expect(page.getByTestId('mining-toggle')).toHaveAttribute('aria-checked', 'true')
  // Coinbase maturity on the test chain is 3: the first reward is spendable from height 3 on.
  await expect(page.getByTestId('balance-confirmed')).not.toHaveAttribute('data-units', '0', { timeout: 30_000 })
  await expect(page.locator('[data-testid="tree-block"][data-main="true"]').first()).toBeVisible()

  await page.getByTestId('send-to').fill(await addressOf(b))
  await page.getByTestId('send-amount').fill('1.25')
  await page.getByTestId('send-button').click()
  await expect(page.getByTestId('send-result')).toContainText('Sent:')
  const txid = (await page.getByTestId('send-result').textContent())!.replace('Sent:', '').trim()
  const payment = page.locator(`[data-testid="payment"][data-txid="${txid}"]`)
  await expect(payment).toBeVisible()
  await expect(payment).toHaveAttribute('data-confirmations', /^[1-9]\d*$/, { timeout: 30_000 })
  await expect(payment).toHaveAttribute('data-confirmations', /^([2-9]|\d{2,})$/, { timeout: 30_000 })
  await page.getByTestId('mining-toggle').click()
  await expect(page.getByTestId('mining-toggle')).toHaveAttribute('aria-checked', 'false')
  // Stopped: the rate reads 0, and the chart goes on to "now" at 0 instead of ending on the last rate.
  await expect(page.getByTestId('hash-rate')).toHaveText('0 H/s')
  await expect(page.getByTestId('rate-chart')).toHaveAttribute('data-latest-rate', '0')

  await page.goto(b.uiUrl)
  await page.getByTestId('nav-ledger').click()
  await expect(page.getByTestId('balance-confirmed')).toHaveText('1.25')
  await expect(page.locator(`[data-testid="payment"][data-txid="${txid}"]`)).toBeVisible()
  expect(watch.problems()).toEqual([])
})

test("the double-spend race table shows the measurement beside the paper's figure and the exact value", async ({ page }) => {
  if (a == null) throw new Error('peers did not start')
  await page.goto(a.uiUrl)
  await page.getByTestId('nav-ledger').click()
  await page.getByTestId('attack-z').fill('0,1,2')
  await page.getByTestId('attack-trials').fill('20000')
  await page.getByTestId('attack-run').click()
  const rows = page.getByTestId('attack-results').locator('tbody tr')
  await expect(rows).toHaveCount(3)
  await expect(rows.nth(1)).toContainText('0.2045873')
  await expect(rows.nth(1)).toContainText('0.2000000')
})
