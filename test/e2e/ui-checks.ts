// Checks shared by the browser and Electron specs: console watching, the dial-a-peer flow, layout spills and axe.
import { expect, type Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

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

/** Elements that reach past the right edge of the card holding them (not counting ones scrolled inside a box of the card). */
export async function spills (page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const found: string[] = []
    const describe = (el: Element): string => `${el.tagName.toLowerCase()}${el.id !== '' ? '#' + el.id : ''}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 30)}"`
    for (const card of document.querySelectorAll('.card')) {
      const edge = card.getBoundingClientRect().right
      for (const el of card.querySelectorAll('*')) {
        const rect = el.getBoundingClientRect()
        if (rect.width === 0 || rect.right <= edge + 1) continue
        let scrolled = false
        for (let up = el.parentElement; up != null && up !== card; up = up.parentElement) {
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) scrolled = true
        }
        if (!scrolled) found.push(`${describe(el)} in card "${card.querySelector('h2')?.textContent ?? ''}"`)
      }
      // A table that fits needs no sideways scrolling.
      for (const wrap of card.querySelectorAll('.table-wrap')) {
        if (wrap.scrollWidth > wrap.clientWidth + 1) found.push(`${describe(wrap)} scrolls sideways (${wrap.scrollWidth} > ${wrap.clientWidth})`)
      }
    }
    if (document.documentElement.scrollWidth > window.innerWidth) found.push(`the page is ${document.documentElement.scrollWidth} px wide`)
    return found
  })
}

/** axe-core's serious and critical findings on the page as it is (or within `include`, a CSS selector), one line each. */
export async function seriousAxeViolations (page: Page, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page })
  const { violations } = await (include != null ? builder.include(include) : builder).analyze()
  return violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)
}
