// iCalendar content lines (RFC 5545 §3.1) into a tree of components, each property with the line it
// starts on, so an error can say where. Takes what calendar apps write: CRLF or LF, a UTF-8 BOM, lines
// folded with a space or a tab, quoted parameter values, X- names.
import { CalendarError } from '../errors.ts'

export interface Property { name: string, params: Record<string, string>, value: string, line: number }
export interface Component { name: string, properties: Property[], components: Component[], line: number }

function bad (line: number, what: string): CalendarError {
  return new CalendarError('bad-ics', `line ${line}: ${what}`)
}

function contentLine (text: string, line: number): Property {
  let i = 0
  const nameEnd = text.search(/[;:]/)
  if (nameEnd < 1) throw bad(line, `not a NAME:VALUE line ("${text.slice(0, 40)}")`)
  const name = text.slice(0, nameEnd).toUpperCase()
  if (!/^[A-Z0-9-]+$/.test(name)) throw bad(line, `"${name}" is not a property name`)
  const params: Record<string, string> = {}
  i = nameEnd
  while (text[i] === ';') {
    const eq = text.indexOf('=', i)
    if (eq < 0) throw bad(line, `parameter without "=" in ${name}`)
    const param = text.slice(i + 1, eq).toUpperCase()
    let value = ''
    i = eq + 1
    // Values are comma-separated, each quoted or not; quotes let a value hold ; : and ,.
    for (;;) {
      if (text[i] === '"') {
        const close = text.indexOf('"', i + 1)
        if (close < 0) throw bad(line, `unclosed quote in ${name};${param}`)
        value += text.slice(i + 1, close)
        i = close + 1
      } else {
        const end = text.slice(i).search(/[;:,]/)
        if (end < 0) throw bad(line, `${name} has no ":" before its value`)
        value += text.slice(i, i + end)
        i += end
      }
      if (text[i] !== ',') break
      value += ','
      i++
    }
    params[param] = value
  }
  if (text[i] !== ':') throw bad(line, `${name} has no ":" before its value`)
  return { name, params, value: text.slice(i + 1), line }
}

export function lex (input: string): Component {
  const physical = input.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)
  const root: Component = { name: '', properties: [], components: [], line: 0 }
  const stack: Component[] = [root]
  let pending: { text: string, line: number } | null = null
  const flush = (): void => {
    if (pending == null) return
    const prop = contentLine(pending.text, pending.line)
    pending = null
    const top = stack[stack.length - 1] as Component
    if (prop.name === 'BEGIN') {
      const component: Component = { name: prop.value.trim().toUpperCase(), properties: [], components: [], line: prop.line }
      top.components.push(component)
      stack.push(component)
    } else if (prop.name === 'END') {
      if (stack.length === 1 || top.name !== prop.value.trim().toUpperCase()) throw bad(prop.line, `END:${prop.value} does not close ${top.name === '' ? 'anything' : `BEGIN:${top.name} of line ${top.line}`}`)
      stack.pop()
    } else {
      if (stack.length === 1) throw bad(prop.line, `${prop.name} outside BEGIN:VCALENDAR`)
      top.properties.push(prop)
    }
  }
  physical.forEach((text, index) => {
    if ((text.startsWith(' ') || text.startsWith('\t')) && pending != null) {
      pending.text += text.slice(1) // a folded continuation
      return
    }
    flush()
    if (text.trim() !== '') pending = { text, line: index + 1 }
  })
  flush()
  if (stack.length > 1) {
    const open = stack[stack.length - 1] as Component
    throw bad(open.line, `BEGIN:${open.name} is never closed`)
  }
  return root
}

/** TEXT values (§3.3.11): \n, \, \; \\ unescaped. */
export function unescapeText (value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c))
}

export function escapeText (value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/([,;])/g, '\\$1')
}

/** Lines folded at 75 octets, as RFC 5545 §3.1 asks (without splitting a UTF-8 character). */
export function fold (line: string): string {
  const out: string[] = []
  let current = ''
  let bytes = 0
  for (const ch of line) {
    const size = Buffer.byteLength(ch)
    if (bytes + size > (out.length === 0 ? 75 : 74)) {
      out.push(current)
      current = ''
      bytes = 0
    }
    current += ch
    bytes += size
  }
  out.push(current)
  return out.join('\r\n ')
}
