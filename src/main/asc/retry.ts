import type { AscFailure } from './errors'

/**
 * When and how long to wait before trying a read again. Only transient failures are retried:
 * 429 (after `Retry-After` when Apple sends one), 500/502/503/504, and a connection reset. A 401
 * is not here: it gets one fresh token and one more try, without waiting (see the transport).
 */
export interface RetryPolicy {
  /** Tries after the first one. */
  maxRetries: number
  /** The first back-off; each next one doubles, up to `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /** A `Retry-After` longer than this is not waited for: the request fails with it. */
  maxRetryAfterSeconds: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterSeconds: 60,
}

const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504])

/**
 * Milliseconds to wait before retry number `retry` (0 for the first retry), or null when the
 * failure is not retried. Back-off is capped exponential with "equal jitter": half the step is
 * fixed, half random, so clients that failed together do not come back together.
 */
export function retryDelayMs(
  failure: AscFailure,
  retry: number,
  policy: RetryPolicy,
  random: () => number,
): number | null {
  if (retry >= policy.maxRetries) return null
  const retried =
    (failure.kind === 'http' && RETRIED_STATUSES.has(failure.status)) ||
    (failure.kind === 'network' && failure.reason === 'reset')
  if (!retried) return null
  if (failure.kind === 'http' && failure.retryAfterSeconds !== null) {
    if (failure.retryAfterSeconds > policy.maxRetryAfterSeconds) return null
    return failure.retryAfterSeconds * 1000
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry)
  return Math.round(step / 2 + (step / 2) * random())
}
