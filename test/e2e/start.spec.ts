// The first screen: what Tidepool does, three first steps one click away each, and the command that
// starts a second peer joining this one.
import { test, expect } from '@playwright/test'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole } from './ui-checks.ts'
import { secondPeerCommand } from '../../p2p/api/contract.ts'

let peer: HeadlessPeer | undefined

test.beforeAll(async () => { peer = await startHeadlessPeer({ extraArgs: ['--chain', 'test'] }) })
test.afterAll(async () => { await peer?.stop() })

test('the first screen explains Tidepool and each first step is one click', async ({ page }) => {
  const watch = watchConsole(page)
  await page.goto(peer!.uiUrl)
  const start = page.getByTestId('start-view')
  await expect(start).toContainText('no server anywhere')
  await expect(page.getByTestId('second-peer-command')).toHaveText(secondPeerCommand({ network: peer!.network, addrs: peer!.addrs })!)
  await expect(page.getByTestId('second-peer-command')).toContainText(`--bootstrap ${peer!.addrs[0]!}`)

  await page.getByTestId('start-files').click()
  await expect(page.getByTestId('files-input')).toBeAttached()
  await page.getByTestId('nav-start').click()
  await page.getByTestId('start-calendar').click()
  await expect(page.getByTestId('nav-calendar')).toHaveAttribute('aria-current', 'page')
  await page.getByTestId('nav-start').click()
  await page.getByTestId('start-mining').click()
  await expect(page.getByTestId('mining-toggle')).toHaveAttribute('aria-checked', 'true')
  // A reload stays in the view the user was in.
  await page.reload()
  await expect(page.getByTestId('mining-toggle')).toBeVisible()
  await page.getByTestId('mining-toggle').click()
  await expect(page.getByTestId('mining-toggle')).toHaveAttribute('aria-checked', 'false')
  expect(watch.problems()).toEqual([])
})
