// Two real headless peers on 127.0.0.1; peer A's UI (served by A's local API) dials peer B.
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { dialThroughForm, peerRow, watchConsole } from './ui-checks.ts'

test.describe.configure({ mode: 'serial' })

/** How long the no-polling check watches an idle page. */
const IDLE_WINDOW_MS = 4_000

let a: HeadlessPeer | undefined
let b: HeadlessPeer | undefined

function peers (): { a: HeadlessPeer, b: HeadlessPeer } {
  if (a == null || b == null) throw new Error('peers did not start')
  return { a, b }
}

test.beforeAll(async () => {
  [a, b] = await Promise.all([startHeadlessPeer(), startHeadlessPeer()])
})

test.afterAll(async () => {
  const exits = await Promise.all([a?.stop(), b?.stop()])
  for (const [name, exit] of [['A', exits[0]], ['B', exits[1]]] as const) {
    if (exit != null && exit.code !== 0 && exit.signal !== 'SIGTERM') {
      console.warn(`peer ${name} did not exit cleanly on SIGTERM: ${JSON.stringify(exit)}`)
    }
  }
})

test('dials a peer through the form and shows it with a numeric latency', async ({ page }) => {
  const { a, b } = peers()
  const watch = watchConsole(page)

  await page.goto(a.uiUrl)
  await page.getByTestId('nav-peers').click()
  await expect(page.getByTestId('self-peer-id')).toHaveText(a.peerId)
  // The token left the address bar but stays for this window.
  expect(page.url()).not.toContain('token=')
  expect(await page.evaluate(() => sessionStorage.length)).toBeGreaterThan(0)
  await expect(page.getByTestId('network-name')).toHaveText(a.network)
  await expect(page.getByTestId('stream-state')).toContainText('live')
  await expect(page.getByTestId('online-toggle')).toHaveAttribute('aria-checked', 'true')

  const addrB = b.addrs.find(x => x.includes('/ip4/127.0.0.1/')) ?? b.addrs[0]
  expect(addrB, 'peer B printed an address').toBeTruthy()
  await dialThroughForm(page, addrB!, b.peerId)
  await expect(page.getByTestId('dht-size')).toHaveText(/^\d+$/)

  // A reload keeps the token (sessionStorage) and shows the same peer, still connected.
  let statusFetches = 0
  let framesReceived = 0
  page.on('request', (req) => { if (new URL(req.url()).pathname === '/api/status') statusFetches += 1 })
  page.on('websocket', (ws) => { ws.on('framereceived', () => { framesReceived += 1 }) })
  await page.reload()
  await expect(page.getByTestId('self-peer-id')).toHaveText(a.peerId)
  await expect(peerRow(page, b.peerId)).toHaveAttribute('data-connected', 'true')
  await expect(page.getByTestId('stream-state')).toContainText('live')

  // No polling: while idle, the UI refetches /api/status at most once per event it received
  // (plus one for an event that arrived just before the window).
  await page.waitForTimeout(500)
  const fetches0 = statusFetches
  const frames0 = framesReceived
  await page.waitForTimeout(IDLE_WINDOW_MS)
  expect(statusFetches - fetches0, `status fetches in ${IDLE_WINDOW_MS} ms idle, with ${framesReceived - frames0} events`)
    .toBeLessThanOrEqual(framesReceived - frames0 + 1)

  expect(watch.problems(), 'console errors (CSP violations show up here)').toEqual([])
})

test('the Peers view says how this peer is reached and, per connection, the path', async ({ page }, testInfo) => {
  const { a, b } = peers()
  const watch = watchConsole(page)
  await page.goto(a.uiUrl)
  await page.getByTestId('nav-peers').click()
  await expect(peerRow(page, b.peerId)).toHaveAttribute('data-connected', 'true')
  // Peers on 127.0.0.1 only: nothing public to offer, so "behind a NAT" with no relay, and direct paths.
  const reach = page.getByTestId('reachability')
  await expect(reach).toHaveAttribute('data-reachability', 'private')
  await expect(reach).toContainText('Behind a NAT')
  await expect(reach).toContainText('Not reachable from the internet')
  await expect(peerRow(page, b.peerId).getByTestId('peer-path')).toHaveText('direct')
  await expect(page.getByRole('columnheader', { name: 'Path' })).toBeVisible()
  for (const width of [1000, 1400]) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: testInfo.outputPath(`peers-${width}.png`), fullPage: true })
  }
  expect(watch.problems()).toEqual([])
})

test('airplane mode drops the connection and refuses dials until back online', async ({ page, request }) => {
  const { a, b } = peers()
  const watch = watchConsole(page)
  await page.goto(a.uiUrl)
  await page.getByTestId('nav-peers').click()
  await expect(page.getByTestId('self-peer-id')).toHaveText(a.peerId)
  const addrB = b.addrs[0]!

  await page.getByTestId('online-toggle').click()
  await expect(page.getByTestId('online-toggle')).toHaveAttribute('aria-checked', 'false')
  await expect(page.getByTestId('online-state')).toHaveText('Airplane mode')
  // Any row for B is no longer connected.
  await expect(page.locator(`[data-testid="peer-row"][data-peer-id="${b.peerId}"][data-connected="true"]`)).toHaveCount(0)

  const expected = await request.post(`${a.api}/api/peers/dial`, {
    headers: { Authorization: `Bearer ${a.token}` },
    data: { addr: addrB }
  })
  expect(expected.status()).toBe(409)
  const body = await expected.json() as { error: { code: string, message: string } }
  expect(body.error.code).toBe('offline')

  await page.getByTestId('dial-input').fill(addrB)
  await page.getByTestId('dial-button').click()
  await expect(page.getByTestId('dial-error')).toContainText(body.error.message)
  await expect(page.getByTestId('dial-error')).toContainText('offline')

  await page.getByTestId('online-toggle').click()
  await expect(page.getByTestId('online-toggle')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('online-state')).toHaveText('Online')
  await dialThroughForm(page, addrB, b.peerId)

  expect(watch.problems({ allowHttpErrors: true })).toEqual([])
})

test('without a token the UI explains how to get one, and accepts a pasted one', async ({ page }) => {
  const { a } = peers()
  const watch = watchConsole(page)
  await page.goto(`${a.api}/`)
  const screen = page.getByTestId('token-screen')
  await expect(screen).toBeVisible()
  await expect(screen).toContainText('tidepool --headless')
  await expect(screen).toContainText('api-token')
  await expect(page.getByTestId('self-peer-id')).toHaveCount(0)

  // Pasting the whole URL works as well as the bare token.
  await page.getByTestId('token-input').fill(a.uiUrl)
  await page.getByTestId('token-button').click()
  await page.getByTestId('nav-peers').click()
  await expect(page.getByTestId('self-peer-id')).toHaveText(a.peerId)
  expect(watch.problems()).toEqual([])
})

test('a wrong token sends the UI back to the token screen', async ({ page }) => {
  const { a } = peers()
  await page.goto(`${a.api}/#token=${'A'.repeat(43)}`)
  await expect(page.getByTestId('token-screen')).toBeVisible()
  await expect(page.getByTestId('token-error')).toContainText('rejected')
})

for (const [name, makeAddr, code] of [
  ['not a multiaddr', () => 'not-a-multiaddr', 'invalid-multiaddr'],
  ['no /p2p/ part', () => '/ip4/127.0.0.1/tcp/1', 'missing-peer-id'],
  ['our own address', () => peers().a.addrs[0]!, 'self-dial']
] as const) {
  test(`dialing ${name} shows the API's error text (${code})`, async ({ page, request }) => {
    const { a } = peers()
    const addr = makeAddr()
    const watch = watchConsole(page)
    const res = await request.post(`${a.api}/api/peers/dial`, {
      headers: { Authorization: `Bearer ${a.token}` },
      data: { addr }
    })
    expect(res.status()).toBe(400)
    const body = await res.json() as { error: { code: string, message: string } }
    expect(body.error.code).toBe(code)
    expect(body.error.message.length).toBeGreaterThan(0)

    await page.goto(a.uiUrl)
    await page.getByTestId('nav-peers').click()
    await page.getByTestId('dial-input').fill(addr)
    await page.getByTestId('dial-button').click()
    const error = page.getByTestId('dial-error')
    await expect(error).toBeVisible()
    await expect(error).toContainText(body.error.message)
    await expect(error).toContainText(code)
    expect(watch.problems({ allowHttpErrors: true })).toEqual([])
  })
}
