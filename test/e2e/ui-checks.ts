// Checks shared by the browser and Electron specs: console watching and the dial-a-peer flow.
import { expect, type Page } from '@playwright/test'

/** A latency cell once a ping came back: `0.4 ms`, `12 ms` or `<0.1 ms` (never `—`). */
export const NUMERIC_LATENCY = /^(<)?\d+(\.\d+)? ms$/

/**
 * Chromium reports every HTTP error answer of a fetch as a console error. Tests that provoke API
 * errors on purpose pass `allowHttpErrors`; anything else (CSP violations, exceptions) still counts.
 */
const HTTP_ERROR_LOG = /^Failed to load resource: the server responded with a status of (4|5)\d\d/

export interface ConsoleWatch {
  errors: string[]
  /** Console errors and page errors, minus HTTP error answers when allowed. */
  problems: (opts?: { allowHttpErrors?: boolean }) => string[]
}

export function watchConsole (page: Page): ConsoleWatch {
  const errors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text())
  })
  page.on('pageerror', (err) => { errors.push(`pageerror: ${err.message}`) })
  return {
    errors,
    problems: ({ allowHttpErrors = false } = {}) =>
      errors.filter(e => !(allowHttpErrors && HTTP_ERROR_LOG.test(e)))
  }
}

export function peerRow (page: Page, peerId: string) {
  return page.locator(`[data-testid="peer-row"][data-peer-id="${peerId}"]`)
}

/** Dials `addr` through the form and waits for `peerId` to be listed, connected, with a latency. */
export async function dialThroughForm (page: Page, addr: string, peerId: string): Promise<void> {
  await page.getByTestId('dial-input').fill(addr)
  await page.getByTestId('dial-button').click()
  const row = peerRow(page, peerId)
  await expect(row).toBeVisible()
  await expect(row).toHaveAttribute('data-connected', 'true')
  await expect(row.getByTestId('peer-latency')).toHaveText(NUMERIC_LATENCY)
  await expect(page.getByTestId('dial-error')).toHaveCount(0)
}
