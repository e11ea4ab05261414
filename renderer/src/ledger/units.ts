// Coins ⇄ integer units (1 coin = 100 000 000 units) by string arithmetic: money never passes through a float.
export const UNITS_PER_COIN = 100_000_000
const DECIMALS = 8

export function formatCoins (units: number): string {
  const sign = units < 0 ? '−' : ''
  const abs = Math.abs(units)
  const whole = Math.floor(abs / UNITS_PER_COIN)
  const fraction = String(abs % UNITS_PER_COIN).padStart(DECIMALS, '0').replace(/0+$/, '')
  return `${sign}${whole.toLocaleString('en-US')}${fraction === '' ? '' : '.' + fraction}`
}

/** Units for a typed amount like "1.5"; null if it is not a plain decimal with at most 8 decimals. */
export function parseCoins (text: string): number | null {
  const match = /^(\d{1,8})(?:\.(\d{1,8}))?$/.exec(text.trim())
  if (match == null) return null
  const units = Number(match[1]) * UNITS_PER_COIN + Number((match[2] ?? '').padEnd(DECIMALS, '0'))
  return Number.isSafeInteger(units) ? units : null
}
