// Runs async jobs one at a time, in order: a replica's change and its disk batch never interleave
// with another's.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  async run<T> (job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job)
    this.tail = result.catch(() => {})
    return await result
  }

  async idle (): Promise<void> {
    await this.tail
  }
}
