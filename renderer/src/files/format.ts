// Sizes, rates and times for the Files view; pure.
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

export function formatBytes (bytes: number | null): string {
  if (bytes == null) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) { value /= 1000; unit++ }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`
}

export function formatRate (bytesPerSec: number): string {
  return bytesPerSec > 0 ? `${formatBytes(bytesPerSec)}/s` : '—'
}

export function formatEta (seconds: number | null): string {
  if (seconds == null) return '—'
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
  return `${Math.floor(seconds / 3600)} h ${Math.floor(seconds % 3600 / 60)} min`
}

export function shortCid (cid: string): string {
  return cid.length <= 20 ? cid : `${cid.slice(0, 10)}…${cid.slice(-6)}`
}
