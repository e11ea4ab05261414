// Proof of work arithmetic: compact "bits" ⇄ 256-bit target, work per block, median-time-past, and
// the retarget rule. All BigInt, all pure.
import type { ChainParams } from './params.ts'

const TWO_256 = 1n << 256n

/** Bitcoin's compact form: one exponent byte, three mantissa bytes (sign bit must be clear). */
export function bitsToTarget (bits: number): bigint {
  const exponent = bits >>> 24
  const mantissa = BigInt(bits & 0x007fffff)
  if ((bits & 0x00800000) !== 0) return -1n
  return exponent <= 3 ? mantissa >> BigInt(8 * (3 - exponent)) : mantissa << BigInt(8 * (exponent - 3))
}

export function targetToBits (target: bigint): number {
  if (target <= 0n) return 0
  let size = Math.ceil(target.toString(16).length / 2)
  let mantissa = size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)))
  // A mantissa with its top bit set would read as negative: shift one byte into the exponent.
  if ((mantissa & 0x00800000) !== 0) {
    mantissa >>>= 8
    size += 1
  }
  return ((size << 24) | mantissa) >>> 0
}

export function hashToBigInt (hashHex: string): bigint {
  return BigInt('0x' + hashHex)
}

/** Expected hashes to find a block at this target: 2^256 / (target + 1). */
export function workOf (bits: number): bigint {
  const target = bitsToTarget(bits)
  return target <= 0n ? 0n : TWO_256 / (target + 1n)
}

export const MEDIAN_TIME_SPAN = 11

/** The median of the last 11 timestamps (fewer near genesis), oldest first in `times`. */
export function medianTimePast (times: readonly number[]): number {
  const last = times.slice(-MEDIAN_TIME_SPAN).sort((a, b) => a - b)
  return last[Math.floor(last.length / 2)] ?? 0
}

export interface RetargetWindow {
  /** Bits of the last `retargetWindow` blocks ending at the parent, oldest first. */
  bits: readonly number[]
  /** Median-time-past at the parent, and at the block `retargetWindow` before it. */
  mtpNow: number
  mtpThen: number
}

/**
 * The target the next block must carry (Zcash's "DigiShield"): the average target of the last N
 * blocks, scaled by how long they took measured between two median-time-pasts (so one lying
 * timestamp moves nothing), with the error damped to a quarter and clamped to -25%…+50% per block.
 * Retargeting every block but damped reacts to a laptop joining or leaving within a few blocks,
 * without the oscillation an undamped per-block rule shows on a tiny network.
 */
export function nextBits (params: ChainParams, height: number, window: RetargetWindow | null): number {
  if (params.noRetarget || window === null || height <= params.retargetWindow) return params.powLimitBits
  const expected = params.targetSpacing * params.retargetWindow
  const actual = window.mtpNow - window.mtpThen
  let damped = expected + Math.trunc((actual - expected) / 4)
  damped = Math.max(Math.trunc(expected * 3 / 4), Math.min(Math.trunc(expected * 3 / 2), damped))
  const total = window.bits.reduce((sum, b) => sum + bitsToTarget(b), 0n)
  const average = total / BigInt(window.bits.length)
  let next = average * BigInt(damped) / BigInt(expected)
  const limit = bitsToTarget(params.powLimitBits)
  if (next > limit) next = limit
  return targetToBits(next)
}
