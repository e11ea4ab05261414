// Hands a fetched file to the browser's download (the API needs the token, so a plain link cannot fetch it).

/** The download reads the blob asynchronously; revoking its URL at once can cancel it in Chromium. */
const REVOKE_AFTER_MS = 10_000

export function saveFile (blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.click()
  setTimeout(() => { URL.revokeObjectURL(url) }, REVOKE_AFTER_MS)
}

/** A file name from free text (a calendar's name): no path separators or control characters. */
export function fileNameFor (name: string, extension: string): string {
  const base = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().slice(0, 100)
  return `${base === '' ? 'calendar' : base}.${extension}`
}
