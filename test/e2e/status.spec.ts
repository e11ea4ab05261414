// Truthful status: when the local peer dies the whole UI says so at once and disables its controls, and
// it recovers by itself when the peer is back on the same port and data dir.
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole } from './ui-checks.ts'

/** How soon after the peer dies the banner must be up. */
const SAY_SO_WITHIN_MS = 3_000

let peer: HeadlessPeer | undefined

test.afterAll(async () => { await peer?.stop() })

test('a dead peer blocks the UI with a banner, and its return unblocks it', async ({ page }) => {
  peer = await startHeadlessPeer()
  const { dataDir, peerId } = peer
  const port = new URL(peer.api).port
  const watch = watchConsole(page)

  await page.goto(peer.uiUrl)
  await page.getByTestId('nav-peers').click()
  await expect(page.getByTestId('self-peer-id')).toHaveText(peerId)
  await expect(page.getByTestId('online-state')).toHaveText('Online')
  await expect(page.getByTestId('peer-down')).toHaveCount(0)
  await expect(page.getByTestId('dial-input')).toBeEnabled()

  await peer.stop()
  await expect(page.getByTestId('peer-down')).toBeVisible({ timeout: SAY_SO_WITHIN_MS })
  await expect(page.getByTestId('online-state')).toHaveText('Peer not answering')
  await expect(page.getByTestId('online-toggle')).toBeDisabled()
  await expect(page.getByTestId('dial-input')).toBeDisabled()
  await expect(page.getByTestId('nav-files')).toBeDisabled()

  // The same data dir keeps the token the page holds; the same port keeps the page's address.
  peer = await startHeadlessPeer({ dataDir, extraArgs: ['--api-port', port] })
  await expect(page.getByTestId('peer-down')).toHaveCount(0, { timeout: 10_000 })
  await expect(page.getByTestId('online-state')).toHaveText('Online')
  await expect(page.getByTestId('dial-input')).toBeEnabled()
  await page.getByTestId('nav-files').click()
  await expect(page.getByTestId('files-table')).toBeVisible()

  // While the peer was gone the page's requests failed; nothing else may have gone wrong.
  expect(watch.problems().filter(e => !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(e))).toEqual([])
})
