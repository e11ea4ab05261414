// Long lists a page at a time, so a busy wallet or library keeps the page a screen long.
import { useState, type ReactNode } from 'react'

export const PAGE_SIZE = 10

/** The items of the current page, and the controls to move between pages (none for a single page). */
export function usePaged<T> (items: T[], label: string, size = PAGE_SIZE): { shown: T[], pager: ReactNode } {
  const [page, setPage] = useState(0)
  const pages = Math.max(1, Math.ceil(items.length / size))
  // A shrinking list (files removed) must not leave the view on a page past its end.
  const current = Math.min(page, pages - 1)
  const shown = items.slice(current * size, (current + 1) * size)
  const pager = pages <= 1
    ? null
    : (
      <nav className="pager" aria-label={`${label}: pages`} data-testid="pager">
        <button type="button" disabled={current === 0} onClick={() => { setPage(current - 1) }}>Previous</button>
        <span data-testid="pager-state">Page {current + 1} of {pages} · {items.length} in all</span>
        <button type="button" disabled={current === pages - 1} onClick={() => { setPage(current + 1) }}>Next</button>
      </nav>
      )
  return { shown, pager }
}
