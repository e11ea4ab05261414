// WebDAV XML in and out. Requests are parsed with @xmldom/xmldom (never by pattern); answers are
// written as text from a few element builders that escape every value.
import { DOMParser } from '@xmldom/xmldom'
// Its nodes have the DOM's own types (Element here is lib.dom's).

export const DAV = 'DAV:'
export const CALDAV = 'urn:ietf:params:xml:ns:caldav'
export const CALSERVER = 'http://calendarserver.org/ns/'
const PREFIXES: Record<string, string> = { [DAV]: 'd', [CALDAV]: 'c', [CALSERVER]: 'cs' }

/** A property or element name: its namespace and local name. */
export interface XmlName { ns: string, local: string }

export class BadXml extends Error {}

/** The request's root element; a DOCTYPE (entity tricks) or any parse error is BadXml. */
export function parseXml (text: string): Element {
  const problems: string[] = []
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: (m: string) => { problems.push(m) }, fatalError: (m: string) => { problems.push(m) } }
  }).parseFromString(text, 'application/xml')
  if (problems.length > 0) throw new BadXml(problems[0])
  if (doc.doctype != null) throw new BadXml('a DOCTYPE is not accepted')
  const root = doc.documentElement
  if (root == null) throw new BadXml('no root element')
  return root
}

export function children (el: Element, name?: XmlName): Element[] {
  const out: Element[] = []
  for (let node = el.firstChild; node != null; node = node.nextSibling) {
    if (node.nodeType !== 1) continue
    const child = node as Element
    if (name === undefined || (child.namespaceURI === name.ns && child.localName === name.local)) out.push(child)
  }
  return out
}

export function child (el: Element, name: XmlName): Element | undefined {
  return children(el, name)[0]
}

export const nameOf = (el: Element): XmlName => ({ ns: el.namespaceURI ?? '', local: el.localName ?? el.nodeName })
export const textOf = (el: Element): string => (el.textContent ?? '').trim()

export function escapeXml (text: string): string {
  return text.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string)
}

/** An element as text; `inner` is already XML. A namespace without a prefix of ours is declared on it. */
export function element (name: XmlName, inner = ''): string {
  const prefix = PREFIXES[name.ns]
  const tag = prefix === undefined ? `x:${name.local}` : `${prefix}:${name.local}`
  const declare = prefix === undefined ? ` xmlns:x="${escapeXml(name.ns)}"` : ''
  return inner === '' ? `<${tag}${declare}/>` : `<${tag}${declare}>${inner}</${tag}>`
}

export const d = (local: string, inner = ''): string => element({ ns: DAV, local }, inner)
export const c = (local: string, inner = ''): string => element({ ns: CALDAV, local }, inner)

/** A whole answer: a DAV: root element declaring every prefix of ours. */
export function davDocument (local: string, inner: string): string {
  const declarations = Object.entries(PREFIXES).map(([ns, prefix]) => ` xmlns:${prefix}="${ns}"`).join('')
  return `<?xml version="1.0" encoding="utf-8"?>\n<d:${local}${declarations}>${inner}</d:${local}>`
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 403: 'Forbidden', 404: 'Not Found' }
export const statusLine = (status: number): string => `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}`

/** One resource's answer in a multistatus: found properties (name → inner XML) and the ones not found. */
export function propResponse (href: string, found: Array<[XmlName, string]>, missing: XmlName[]): string {
  const propstat = (props: string, status: number): string => d('propstat', d('prop', props) + d('status', statusLine(status)))
  const parts = [d('href', escapeXml(href))]
  if (found.length > 0) parts.push(propstat(found.map(([name, inner]) => element(name, inner)).join(''), 200))
  if (missing.length > 0) parts.push(propstat(missing.map(name => element(name)).join(''), 404))
  return d('response', parts.join(''))
}

export function statusResponse (href: string, status: number): string {
  return d('response', d('href', escapeXml(href)) + d('status', statusLine(status)))
}
