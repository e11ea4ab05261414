// An error with a fixed machine-readable code: callers (the API, tests) match `name` and `code`,
// never the message text, which is for people.
export class CodedError<Code extends string> extends Error {
  readonly code: Code
  constructor (code: Code, message: string) {
    super(message)
    this.code = code
  }
}
