import type { CodesOf } from '../../shared/errors'
import { AppError } from '../errors'

/**
 * Every way an App Store Connect request can fail, as data. The diagnosis engine turns these into
 * user-facing codes, so each kind says exactly what happened and nothing is inferred from text.
 */

export type NetworkReason = 'offline' | 'timeout' | 'tls' | 'reset'

export type BadResponseReason =
  /** The body is not JSON and not an HTML page. */
  | 'not_json'
  /** An HTML page where JSON was expected: a proxy, captive portal or error page. */
  | 'html'
  /** JSON that stops before its end. */
  | 'truncated'
  /** JSON, but not the shape Apple's spec gives for this request. */
  | 'shape'
  /** A `links.next` that points away from the API's origin: never followed. */
  | 'foreign_link'
  /** A redirect, which Apple's API never sends: not followed with the token. */
  | 'redirect'

export type AscFailure =
  | {
      kind: 'http'
      status: number
      /** Apple's error `code` (`NOT_AUTHORIZED`, `FORBIDDEN_ERROR`, ...); null when the body is not Apple's. */
      appleCode: string | null
      /** `GET /v1/...`: no host, no token. */
      request: string
      /** From `Retry-After`, in whole seconds; null when absent. */
      retryAfterSeconds: number | null
    }
  | {
      kind: 'network'
      reason: NetworkReason
      request: string
      /** The platform's error code (`ECONNREFUSED`, `UND_ERR_SOCKET`, ...), for logs. */
      causeCode: string | null
    }
  | {
      kind: 'bad_response'
      reason: BadResponseReason
      /** The HTTP status of the response that could not be used. */
      status: number
      request: string
      /** For `shape`: where the body differs from the schema (paths and expectations, no values). */
      issues: string[]
    }
  | { kind: 'canceled'; request: string }

export type AscFailureKind = AscFailure['kind']

const MESSAGES: { [K in AscFailureKind]: (failure: Extract<AscFailure, { kind: K }>) => string } = {
  http: (failure) =>
    `App Store Connect answered ${failure.status}${failure.appleCode ? ` (${failure.appleCode})` : ''} to ${failure.request}.`,
  network: (failure) =>
    ({
      offline: 'Ascent could not connect to App Store Connect.',
      timeout: 'App Store Connect did not answer in time.',
      tls: 'The secure connection to App Store Connect could not be verified.',
      reset: 'The connection to App Store Connect was interrupted.',
    })[failure.reason],
  bad_response: (failure) =>
    `App Store Connect sent an answer Ascent cannot read (${failure.reason}) to ${failure.request}.`,
  canceled: () => 'The request was canceled.',
}

/**
 * A failed App Store Connect request. `code` is `asc.<kind>` for the IPC layer; branch on
 * `failure` (a discriminated union), never on `message`.
 */
export class AscError extends AppError {
  constructor(readonly failure: AscFailure) {
    super(`asc.${failure.kind}` satisfies CodesOf<'asc'>, message(failure))
    this.name = 'AscError'
  }

  get kind(): AscFailureKind {
    return this.failure.kind
  }

  get request(): string {
    return this.failure.request
  }
}

function message(failure: AscFailure): string {
  return (MESSAGES[failure.kind] as (value: AscFailure) => string)(failure)
}

export function isAscError(error: unknown): error is AscError {
  return error instanceof AscError
}

const OFFLINE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
])
const TIMEOUT = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])
const TLS_PREFIXES = ['CERT_', 'ERR_TLS_', 'ERR_SSL_', 'UNABLE_TO_']
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'HOSTNAME_MISMATCH',
  'EPROTO',
])

function reasonOfCode(code: string): NetworkReason | null {
  if (OFFLINE.has(code)) return 'offline'
  if (TIMEOUT.has(code)) return 'timeout'
  if (RESET.has(code)) return 'reset'
  if (TLS_CODES.has(code) || TLS_PREFIXES.some((prefix) => code.startsWith(prefix))) return 'tls'
  return null
}

/** Error codes along `error.cause` (and inside AggregateErrors), outermost first. */
function codesOf(error: unknown, depth = 0): string[] {
  if (depth > 6 || error === null || typeof error !== 'object') return []
  const codes: string[] = []
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof code === 'string') codes.push(code)
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner, depth + 1))
  codes.push(...codesOf(cause, depth + 1))
  return codes
}

/**
 * What a `fetch` (or body read) failure means, from the platform's error codes: Node's fetch
 * (undici) wraps the socket's error in `TypeError('fetch failed')` as `cause`. Anything unknown
 * counts as not reaching Apple.
 */
export function classifyNetworkError(error: unknown): {
  reason: NetworkReason
  causeCode: string | null
} {
  const codes = codesOf(error)
  for (const code of codes) {
    const reason = reasonOfCode(code)
    if (reason) return { reason, causeCode: code }
  }
  return { reason: 'offline', causeCode: codes[0] ?? null }
}
