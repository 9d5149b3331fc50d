import type { Diagnosis, DiagnosisFacts } from '../../shared/diagnosis'
import { REIMPORT_CODES } from '../../shared/keys'
import type { IpcError } from '../../shared/result'

/** What the user is shown when something failed: a diagnosis, or main's own error. */
export interface Problem {
  code: string
  title: string
  detail: string
  hints: string[]
  /** `GET /v1/apps → 403 FORBIDDEN…`, for the curious. */
  facts: string | null
}

/** The request behind a diagnosis and Apple's answer; the path is enough, the detail names more. */
function factsLine(facts: DiagnosisFacts): string | null {
  const { request, httpStatus, appleErrorCode } = facts
  const answer = [httpStatus, appleErrorCode].filter((part) => part !== undefined).join(' ')
  return [request?.split('?')[0], answer].filter(Boolean).join(' → ') || null
}

export function problemOfDiagnosis(diagnosis: Diagnosis): Problem {
  return {
    code: diagnosis.code,
    title: diagnosis.title,
    detail: diagnosis.detail,
    hints: diagnosis.hints,
    facts: factsLine(diagnosis.facts),
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

/**
 * Apple refused the key, or the key cannot be read back from the keychain: the user checks the
 * key again or imports its file again.
 */
export function concernsKey(problem: Problem): boolean {
  return (
    problem.code === 'auth.rejected' ||
    problem.code === 'input.private_key_invalid' ||
    REIMPORT_CODES.has(problem.code)
  )
}
