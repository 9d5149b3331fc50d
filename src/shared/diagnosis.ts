import { ROLE_LABELS, type Role } from './keys'

/** Stable diagnosis codes, shared by the wizard, the team re-check and `ascent doctor`. */
export const DIAGNOSIS_CODES = [
  'ok',
  'input.issuer_id_invalid',
  'input.key_id_invalid',
  'input.ids_swapped',
  'input.key_id_mismatch',
  'input.private_key_invalid',
  'auth.rejected',
  'auth.clock_skew',
  'access.forbidden',
  'access.agreements',
  'team.not_found',
  'apple.path_not_found',
  'apple.rate_limited',
  'apple.unavailable',
  'network.offline',
  'network.timeout',
  'network.tls',
  'apple.bad_response',
] as const

export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number]

export interface RateLimitFigures {
  /** Requests allowed per rolling hour for this key (`user-hour-lim`). */
  limit: number
  /** Requests left in the current hour (`user-hour-rem`). */
  remaining: number
}

export interface DiagnosisFacts {
  /** Apple's clock minus ours, in seconds, from the last `Date` header seen. */
  clockOffsetSeconds?: number
  rateLimit?: RateLimitFigures
  httpStatus?: number
  /** Apple's error `code`, when there was one. */
  appleErrorCode?: string
  /** The request that failed, as `GET /v1/...` (no host, no token). */
  request?: string
  retryAfterSeconds?: number
}

export interface Diagnosis {
  ok: boolean
  code: DiagnosisCode
  title: string
  detail: string
  hints: string[]
  facts: DiagnosisFacts
}

/**
 * A key's role in words, honest about where it comes from. Only Admin can be confirmed (the key
 * may list users); App Manager and Developer differ only in what they may write, and a check
 * makes no writes, so those are only ever what the user said.
 */
export function describeRole(role: Role, verified: boolean): string {
  return verified
    ? `${ROLE_LABELS[role]} (confirmed: the key may list users)`
    : `${ROLE_LABELS[role]} (as you said; Apple can’t confirm it)`
}
