import { CodedError } from '../coded-error.ts'

export type DialErrorCode = 'invalid-multiaddr' | 'missing-peer-id' | 'self-dial' | 'offline' | 'dial-failed' | 'wrong-network'

export class DialError extends CodedError<DialErrorCode> {
  override name = 'DialError'
}
