import type { DiagnosisFacts, Diagnosis } from '../../shared/diagnosis'
import type { KeyType } from '../../shared/keys'
import type { AscFailure, KeyUsage } from '../asc'
import * as copy from './copy'
import type { Surface } from './copy'

/**
 * From the client's typed failures to diagnoses: by kind, HTTP status and Apple's error `code`,
 * never by the text of a title or detail.
 */

export type DiagnosableFailure = Exclude<AscFailure, { kind: 'canceled' }>

const AGREEMENTS_CODE = 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED'

export function isAgreementsCode(appleCode: string | null): boolean {
  return appleCode === AGREEMENTS_CODE || (appleCode?.startsWith(`${AGREEMENTS_CODE}.`) ?? false)
}

/** What was seen: the key's clock offset and rate limit, and the failed request's answer. */
export function factsOf(usage: KeyUsage, failure?: DiagnosableFailure): DiagnosisFacts {
  const facts: DiagnosisFacts = {}
  if (usage.clockOffsetSeconds !== null) facts.clockOffsetSeconds = usage.clockOffsetSeconds
  if (usage.rateLimit) facts.rateLimit = { ...usage.rateLimit }
  if (!failure) return facts
  facts.request = failure.request
  if (failure.kind === 'http') {
    facts.httpStatus = failure.status
    if (failure.appleCode) facts.appleErrorCode = failure.appleCode
    if (failure.retryAfterSeconds !== null) facts.retryAfterSeconds = failure.retryAfterSeconds
  } else if (failure.kind === 'bad_response' && failure.status > 0) {
    facts.httpStatus = failure.status
  }
  return facts
}

export interface FailureContext {
  keyType: KeyType
  /** Whose controls the hints name; the app's unless said otherwise. */
  surface?: Surface
  usage: KeyUsage
  /** The app asked for, when the failed request was about one app. */
  appId: string | null
}

/**
 * The diagnosis of one failed request, on its own. A 401 here is the plain `auth.rejected`; the
 * engine looks for a likelier local cause first (clock, key file name, key type).
 */
export function diagnoseFailure(failure: DiagnosableFailure, context: FailureContext): Diagnosis {
  const facts = factsOf(context.usage, failure)
  switch (failure.kind) {
    case 'network':
      return copy.network(failure.reason, failure.request, failure.causeCode, facts)
    case 'bad_response':
      return copy.badResponse(failure.reason, failure.request, facts)
    case 'http':
      break
  }
  const { status, request } = failure
  if (status === 401) return copy.authRejected(context.keyType, context.surface ?? 'app', facts)
  if (status === 403) {
    return isAgreementsCode(failure.appleCode)
      ? copy.agreementsMissing(request, facts)
      : copy.accessForbidden(request, facts)
  }
  if (status === 404) {
    return context.appId !== null || namesTeamResource(request)
      ? copy.notFound(request, context.appId, facts)
      : copy.pathNotFound(request, context.surface ?? 'app', facts)
  }
  if (status === 429) {
    return copy.rateLimited(
      failure.retryAfterSeconds,
      context.usage.rateLimit?.limit ?? null,
      facts,
    )
  }
  if (status >= 500) return copy.unavailable(status, request, facts)
  return copy.badResponse('status', request, facts)
}

/**
 * Whether a request (`GET /v1/apps/123?…`) asked for something of a team by its ID: an app, a
 * build, an app's builds. A 404 to one that did not (`GET /v1/apps?limit=1`, which any key may
 * send) cannot mean another team's app. Segments before the version (`/api/v1/…`) belong to the
 * address, not to the request.
 */
function namesTeamResource(request: string): boolean {
  const [path = '', query = ''] = request.replace(/^[A-Z]+ /, '').split('?', 2)
  const segments = path.split('/').filter(Boolean)
  const version = segments.findLastIndex((segment) => /^v\d+$/.test(segment))
  const afterVersion = version < 0 ? 0 : segments.length - version - 1
  return afterVersion > 1 || /(^|&)filter\[app\]=/.test(query)
}
