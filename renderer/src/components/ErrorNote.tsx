// An error as a person reads it, with the API's own code and words kept under a "Details" disclosure.
import { errorDetails, errorText } from '../api/client.ts'

export function ErrorNote ({ error, testId }: { error: unknown, testId?: string }) {
  const details = errorDetails(error)
  return (
    <div className="banner error" role="alert" data-testid={testId}>
      {errorText(error)}
      {details != null && (
        <details className="error-details">
          <summary>Details</summary>
          <code className="mono break">{details}</code>
        </details>
      )}
    </div>
  )
}
