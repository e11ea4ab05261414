// Three real headless peers on a Chord network (127.0.0.1); peer A's UI draws the ring and a lookup.
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'

test.describe.configure({ mode: 'serial' })

const NETWORK = 'test-e2e-chord'
const peers: HeadlessPeer[] = []

test.beforeAll(async () => {
  const a = await startHeadlessPeer({ network: NETWORK, extraArgs: ['--dht', 'chord'] })
  peers.push(a)
  peers.push(...await Promise.all([1, 2].map(async () =>
    await startHeadlessPeer({ network: NETWORK, extraArgs: ['--dht', 'chord', '--bootstrap', a.addrs[0]!] }))))
})

test.afterAll(async () => { await Promise.all(peers.map(async p => await p.stop())) })

test('the DHT view draws this peer on the ring with its successors, and draws the hops of a lookup', async ({ page }) => {
  const a = peers[0]!
  await page.goto(a.uiUrl)
  await page.getByTestId('nav-dht').click()
  await expect(page.getByTestId('ring-self')).toBeVisible()
  // Joins and stabilization run every second: refresh until both other peers are on the ring.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect(page.getByTestId('ring-node')).toHaveCount(2, { timeout: 1000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByTestId('ring-successors')).not.toHaveText('alone on the ring')

  await page.getByTestId('lookup-key').fill('a key to route')
  await page.getByTestId('lookup-button').click()
  await expect(page.getByTestId('lookup-result')).toBeVisible()
  await expect(page.getByTestId('lookup-target')).toHaveCount(1)
  const owner = await page.getByTestId('lookup-owner').getAttribute('title')
  expect(peers.map(p => p.peerId)).toContain(owner)
  const hops = Number((await page.getByTestId('lookup-hops').textContent())?.split(' ')[0])
  await expect(page.getByTestId('lookup-path').locator('li')).toHaveCount(hops + 1)
  // One drawn arc per hop, plus the last step to the key's successor when the route does not end there
  // (it may end back at this peer when this peer owns the key).
  const lastOnRoute = await page.getByTestId('lookup-path').locator('li').last().textContent() ?? ''
  const ownerShown = await page.getByTestId('lookup-owner').textContent() ?? ''
  const arcs = await page.getByTestId('lookup-hop').count()
  expect(arcs).toBe(hops + (lastOnRoute.startsWith(ownerShown) ? 0 : 1))
})
