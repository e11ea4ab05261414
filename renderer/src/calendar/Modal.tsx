// A modal dialog on the platform's <dialog>: showModal() makes the page behind it inert, Escape
// closes it (the dialog's own cancel), Tab wraps inside it, and focus returns to where it was.
import { useEffect, useRef, type ReactNode } from 'react'
import type { Scope } from './writes.ts'

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])'

export function Modal ({ labelledBy, onClose, children, testId, className }: { labelledBy: string, onClose: () => void, children: ReactNode, testId?: string, className?: string }) {
  const ref = useRef<HTMLDialogElement>(null)
  const close = useRef(onClose)
  close.current = onClose
  useEffect(() => {
    const dialog = ref.current
    if (dialog == null) return
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    const first = dialog.querySelector<HTMLElement>('[autofocus], input, select, textarea, button')
    first?.focus()
    const onCancel = (e: Event): void => { e.preventDefault(); close.current() }
    dialog.addEventListener('cancel', onCancel)
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      if (dialog.open) dialog.close()
      if (before?.isConnected === true) before.focus()
    }
  }, [])
  const wrapTab = (e: React.KeyboardEvent<HTMLDialogElement>): void => {
    if (e.key !== 'Tab' || ref.current == null) return
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(el => el.offsetParent !== null || el.tagName === 'SUMMARY')
    const [first, last] = [items[0], items.at(-1)]
    if (first == null || last == null) return
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus() } else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus() }
  }
  return (
    <dialog ref={ref} className={`cal-modal ${className ?? ''}`} aria-labelledby={labelledBy} data-testid={testId} onKeyDown={wrapTab}>
      {children}
    </dialog>
  )
}

const SCOPES: Array<[Scope, string]> = [['this', 'This event'], ['following', 'This and following events'], ['all', 'All events']]

/** The three choices for a change to a recurring event, as radio buttons. */
export function ScopeChoice ({ value, onChange, legend }: { value: Scope, onChange: (s: Scope) => void, legend: string }) {
  return (
    <fieldset className="cal-scope" data-testid="scope-choice">
      <legend>{legend}</legend>
      {SCOPES.map(([scope, label]) => (
        <label key={scope}>
          <input type="radio" name="cal-scope" value={scope} checked={value === scope} onChange={() => { onChange(scope) }} data-testid={`scope-${scope}`} />
          {label}
        </label>
      ))}
    </fieldset>
  )
}

/** Asks which occurrences a move of a recurring event is for. */
export function ScopeDialog ({ title, onChoose, onClose }: { title: string, onChoose: (s: Scope) => void, onClose: () => void }) {
  return (
    <Modal labelledBy="cal-scope-heading" onClose={onClose} testId="scope-dialog">
      <h2 id="cal-scope-heading">{title}</h2>
      <div className="cal-scope-buttons">
        {SCOPES.map(([scope, label]) => <button key={scope} type="button" onClick={() => { onChoose(scope) }} data-testid={`scope-${scope}`}>{label}</button>)}
        <button type="button" onClick={onClose}>Don’t move it</button>
      </div>
    </Modal>
  )
}
