// When to run anti-entropy with each member of one calendar (pure: the clock and the random source are
// passed in). Bayou's promise — every replica ends with every write — rests on pairwise sessions
// between any replicas that meet, so every member is tried periodically, connected or not; one that
// fails is tried again with backoff; and a session that brought something new makes every other
// member we can reach due at once, so news travels along any chain of members within a period or two.

export interface ScheduleOptions {
  /** A member that answers is synced again after about this long. */
  periodMs: number
  /** Each wait is stretched or shrunk by up to this fraction, so members don't sync in lockstep. */
  jitter: number
  /** The wait after a first failure; it doubles with each further failure, up to `maxBackoffMs`. */
  backoffMs: number
  maxBackoffMs: number
  /** In [0, 1). */
  random: () => number
}

export const DEFAULT_SCHEDULE: Omit<ScheduleOptions, 'random'> = {
  periodMs: 10_000,
  jitter: 0.2,
  backoffMs: 5_000,
  maxBackoffMs: 120_000
}

/** What we know of our sessions with one member. */
export interface MemberSyncState {
  /** When a session with it last completed (either side starting it). */
  lastSync: number | null
  lastAttempt: number | null
  /** Failed attempts in a row since the last success. */
  failures: number
  /** Why the last attempt failed, in plain language; null after a success. */
  reason: string | null
  /** When we try next. */
  due: number
  running: boolean
}

export class AntiEntropySchedule {
  private readonly options: ScheduleOptions
  private readonly members = new Map<string, MemberSyncState>()

  constructor (options: ScheduleOptions) {
    this.options = options
  }

  /** The members to sync with (active, not us): newcomers are due now; those gone are forgotten. */
  setMembers (peers: Iterable<string>, now: number): void {
    const wanted = new Set(peers)
    for (const peer of this.members.keys()) if (!wanted.has(peer)) this.members.delete(peer)
    for (const peer of wanted) {
      if (!this.members.has(peer)) this.members.set(peer, { lastSync: null, lastAttempt: null, failures: 0, reason: null, due: now, running: false })
    }
  }

  peers (): string[] {
    return [...this.members.keys()]
  }

  state (peer: string): Readonly<MemberSyncState> | undefined {
    return this.members.get(peer)
  }

  /** Members whose turn has come and with whom no session is running; they are marked running. */
  take (now: number): string[] {
    const due: string[] = []
    for (const [peer, state] of this.members) {
      if (state.running || state.due > now) continue
      state.running = true
      state.lastAttempt = now
      due.push(peer)
    }
    return due
  }

  /** A session we started ended: success schedules the next period, failure backs off. */
  finished (peer: string, result: { ok: true } | { ok: false, reason: string }, now: number): void {
    const state = this.members.get(peer)
    if (state === undefined) return
    state.running = false
    if (result.ok) {
      this.succeeded(state, now)
      return
    }
    state.failures++
    state.reason = result.reason
    const wait = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** (state.failures - 1))
    state.due = Math.max(state.due, now + this.jittered(wait))
  }

  /** A session the member started with us completed: it is reachable, and synced now. */
  answered (peer: string, now: number): void {
    const state = this.members.get(peer)
    if (state !== undefined) this.succeeded(state, now)
  }

  /**
   * Something new arrived (from `source`, or a write of ours when `source` is undefined): every other
   * member not backing off after a failure is due at `at`, to pass it on.
   */
  forward (source: string | undefined, at: number): void {
    for (const [peer, state] of this.members) {
      if (peer !== source && state.failures === 0) state.due = Math.min(state.due, at)
    }
  }

  /** The member just connected to us: whatever kept it away is over, so try it now. */
  reachable (peer: string, now: number): void {
    const state = this.members.get(peer)
    if (state === undefined) return
    state.failures = 0
    state.due = Math.min(state.due, now)
  }

  /** When take() next has something (the earliest due of members not running), or undefined. */
  nextDue (): number | undefined {
    let next: number | undefined
    for (const state of this.members.values()) {
      if (!state.running && (next === undefined || state.due < next)) next = state.due
    }
    return next
  }

  private succeeded (state: MemberSyncState, now: number): void {
    state.lastSync = now
    state.failures = 0
    state.reason = null
    state.due = now + this.jittered(this.options.periodMs)
  }

  private jittered (ms: number): number {
    return Math.round(ms * (1 + this.options.jitter * (2 * this.options.random() - 1)))
  }
}

/** What a failure's error says, in plain language: the first pattern that matches its code or message. */
const PLAIN_FAILURES: Array<[RegExp, string]> = [
  [/not-member/, 'it no longer takes us as a member of this calendar'],
  [/unknown-calendar/, 'it does not hold this calendar (yet)'],
  [/NoValidAddresses|no valid addresses|could not find/i, 'no address is known for it yet: it has to be reached once, or be met through another member'],
  [/EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/, 'there is no network path to it from here (another network, or it is offline)'],
  // After an unreachable address, a refusal on another (say loopback, on a test network) says little.
  [/ECONNREFUSED/, 'its computer answered, but Tidepool is not running there'],
  [/abort|timed? ?out|ETIMEDOUT/i, 'it did not answer in time (offline, asleep, or behind a firewall)'],
  [/EOF|stream closed|ECONNRESET|reset/i, 'the connection broke off during the session (it went offline or stopped)'],
  // A peer in airplane mode accepts TCP, then its connection gater drops the handshake.
  [/Encryption failed|handshake|gater|denied/i, 'it turned the connection away during the handshake (airplane mode there, or it does not know this network)'],
  [/Protocol selection failed|could not negotiate/i, 'it does not answer calendar sessions (Tidepool there is stopping, or another version)'],
  [/airplane|offline/i, 'this peer is offline (airplane mode)']
]

/** Why a dial or session failed, as a user would put it (the error itself follows in brackets). */
export function explainFailure (message: string, code?: string): string {
  const text = `${code ?? ''} ${message}`
  const plain = PLAIN_FAILURES.find(([pattern]) => pattern.test(text))?.[1] ?? 'the session failed'
  return `${plain} (${message.slice(0, 200)})`
}
