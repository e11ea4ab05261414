// Every failure the files capability reports, with a fixed name and a code the API maps to a status.
import { CodedError } from '../coded-error.ts'
export type FilesErrorCode =
  | 'bad-cid' | 'bad-link' | 'unsupported-layout' | 'bad-manifest' | 'bad-chunk'
  | 'not-found' | 'too-large' | 'bad-request' | 'stopped' | 'bad-dest' | 'dest-exists' | 'no-provider' | 'bad-folder'

export class FilesError extends CodedError<FilesErrorCode> {
  override name = 'FilesError'
}
