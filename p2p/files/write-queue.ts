// Verified chunks go to disk while the next ones arrive: at most `max` positional writes in flight,
// the first failure reported to whoever adds next or drains.
export class WriteQueue {
  private readonly max: number
  private readonly pending = new Set<Promise<void>>()
  private failure: Error | undefined

  constructor (max: number) {
    this.max = max
  }

  /** Starts write; resolves once there is room for another (not when this one is done). */
  async add (write: () => Promise<void>): Promise<void> {
    if (this.failure !== undefined) throw this.failure
    const running: Promise<void> = write()
      .catch(err => { this.failure ??= err as Error })
      .finally(() => { this.pending.delete(running) })
    this.pending.add(running)
    while (this.pending.size >= this.max) await Promise.race(this.pending)
    if (this.failure !== undefined) throw this.failure
  }

  /** Resolves when every write is done; rejects with the first failure. */
  async drain (): Promise<void> {
    await Promise.all(this.pending)
    if (this.failure !== undefined) throw this.failure
  }
}
