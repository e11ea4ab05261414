// Copies text with the async clipboard API, falling back to a hidden textarea + execCommand
// (e.g. when the page is not focused or the clipboard permission is missing).
import { useEffect, useRef, useState } from 'react'

export const COPIED_FEEDBACK_MS = 1500

function copyWithTextarea (text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'offscreen'
  document.body.appendChild(area)
  const selection = document.getSelection()
  const previous = selection != null && selection.rangeCount > 0 ? selection.getRangeAt(0) : null
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  if (previous != null && selection != null) {
    selection.removeAllRanges()
    selection.addRange(previous)
  }
  return ok
}

export async function copyText (text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText != null) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall through to the textarea
  }
  return copyWithTextarea(text)
}

export function CopyButton ({ text, label }: { text: string, label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(() => () => { if (timer.current != null) clearTimeout(timer.current) }, [])

  const onClick = (): void => {
    void copyText(text).then((ok) => {
      setState(ok ? 'copied' : 'failed')
      if (timer.current != null) clearTimeout(timer.current)
      timer.current = setTimeout(() => { setState('idle') }, COPIED_FEEDBACK_MS)
    })
  }

  const shown = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'
  // The accessible name starts with the visible text, as voice-control users need (axe:
  // label-content-name-mismatch): "Copied" is not part of "Copy the share link".
  const name = state === 'idle' ? label : `${shown}: ${label}`
  return (
    <button type="button" className={`copy-button copy-${state}`} onClick={onClick} aria-label={name} title={label}>
      {shown}
    </button>
  )
}
