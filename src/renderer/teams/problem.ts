import type { Diagnosis } from '../../shared/diagnosis'
import type { IpcError } from '../../shared/result'

/** What a pane shows when it cannot show its data: a diagnosis, or main's own error. */
export interface Problem {
  code: string
  title: string
  detail: string
  hints: string[]
  /** `GET /v1/apps → 403 FORBIDDEN…`, for the curious. */
  facts: string | null
}

/** Keys whose private key must be imported again (main's codes). */
const REIMPORT_CODES = new Set(['keys.secret_missing', 'keys.secret_mismatch', 'keys.unknown_key'])

export function problemOfDiagnosis(diagnosis: Diagnosis): Problem {
  const { request, httpStatus, appleErrorCode } = diagnosis.facts
  const answer = [httpStatus, appleErrorCode].filter((part) => part !== undefined).join(' ')
  // The path is enough here; the detail names the whole request when it matters.
  const facts = [request?.split('?')[0], answer].filter(Boolean).join(' → ') || null
  return {
    code: diagnosis.code,
    title: diagnosis.title,
    detail: diagnosis.detail,
    hints: diagnosis.hints,
    facts,
  }
}

export function problemOfError(error: IpcError): Problem {
  const reimport = REIMPORT_CODES.has(error.code)
  return {
    code: error.code,
    title: reimport ? 'The private key needs to be imported again' : 'Ascent could not load this',
    detail: error.message,
    hints: [],
    facts: null,
  }
}

/** Apple refused the key, or the keychain lost it: the user re-checks or replaces the key. */
export function concernsKey(problem: Problem): boolean {
  return problem.code === 'auth.rejected' || REIMPORT_CODES.has(problem.code)
}
