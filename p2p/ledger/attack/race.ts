// The double-spend race of the Bitcoin paper, section 11: an attacker with hash share q mines a
// private branch from the block before the payment; the merchant waits until the honest branch holds
// the payment z blocks deep; the attacker wins if its branch ever catches up (reaches the same length).
// Pure: the random source is passed in.

/** The paper's figure: the attacker's progress taken as Poisson with mean z·q/p. */
export function paperProbability (q: number, z: number): number {
  const p = 1 - q
  const lambda = z * q / p
  let sum = 1
  let poisson = Math.exp(-lambda)
  for (let k = 0; k <= z; k++) {
    if (k > 0) poisson *= lambda / k
    sum -= poisson * (1 - (q / p) ** (z - k))
  }
  return sum
}

/**
 * The race's exact probability (Rosenfeld 2014; Grunspan and Pérez-Marco 2017): while the honest
 * miners find z blocks the attacker finds k with the negative binomial law C(k+z-1, k)·p^z·q^k; from
 * z-k behind it catches up with probability (q/p)^(z-k) (gambler's ruin), from ahead with certainty.
 */
export function exactProbability (q: number, z: number): number {
  if (q >= 0.5) return 1
  const p = 1 - q
  if (z === 0) return 1
  let sum = 1
  let negBinomial = p ** z // k = 0
  for (let k = 0; k < z; k++) {
    if (k > 0) negBinomial *= q * (k + z - 1) / k
    sum -= negBinomial * (1 - (q / p) ** (z - k))
  }
  return sum
}

/** Below this, a deficit is as good as never closed: the race is called for the honest miners. */
const HOPELESS = 1e-12

/** Plays the race once with `random()` uniform in [0, 1); true when the attacker catches up. */
export function playRace (q: number, z: number, random: () => number): boolean {
  if (z === 0) return true
  let honest = 0
  let attacker = 0
  while (honest < z) {
    if (random() < q) attacker++
    else honest++
  }
  const giveUp = Math.ceil(Math.log(HOPELESS) / Math.log(q / (1 - q)))
  let deficit = honest - attacker
  while (deficit > 0 && deficit < giveUp) deficit += random() < q ? -1 : 1
  return deficit <= 0
}

/** Wilson score interval at 95 %: honest bounds even when no trial (or every trial) succeeds. */
export function wilsonInterval (successes: number, trials: number): [number, number] {
  const zScore = 1.959963984540054
  const phat = successes / trials
  const denominator = 1 + zScore ** 2 / trials
  const centre = (phat + zScore ** 2 / (2 * trials)) / denominator
  const half = zScore * Math.sqrt(phat * (1 - phat) / trials + zScore ** 2 / (4 * trials ** 2)) / denominator
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

export interface RaceResult {
  q: number
  z: number
  trials: number
  measured: number
  ci: [number, number]
  /** The paper's printed figure's formula; null where the paper gives no figure for this (q, z). */
  paper: number | null
  exact: number
}

/** The (q, z) pairs the paper tabulates. */
function inPaperTable (q: number, z: number): boolean {
  return (q === 0.1 && z >= 0 && z <= 10) || (q === 0.3 && z >= 0 && z <= 50 && z % 5 === 0)
}

export function simulateAttack (q: number, z: number, trials: number, random: () => number): RaceResult {
  let wins = 0
  for (let i = 0; i < trials; i++) if (playRace(q, z, random)) wins++
  return { q, z, trials, measured: wins / trials, ci: wilsonInterval(wins, trials), paper: inPaperTable(q, z) ? paperProbability(q, z) : null, exact: exactProbability(q, z) }
}
