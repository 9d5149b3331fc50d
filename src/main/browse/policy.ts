import type { RateLimitFigures } from '../../shared/diagnosis'

/**
 * How often quiet refreshes may go to Apple. Apple allows each key a number of requests per
 * rolling hour (`X-Rate-Limit`); going over means 429 for everything, including what the user
 * asks for. So quiet refreshes spend little (about 6 requests a minute per list, less for a list
 * that costs many requests), slow down tenfold when a fifth of the hour's requests is left, and
 * stop when a twentieth is: what is left is kept for what the user asks for.
 */

export type RefreshState = 'normal' | 'slowed' | 'paused'

/** The shortest time between two quiet refreshes of one list. */
export const MIN_REFRESH_INTERVAL_MS = 30_000
/** Each request a refresh costs buys this much time before the next one. */
export const INTERVAL_PER_REQUEST_MS = 10_000
export const SLOWDOWN_FACTOR = 10
export const SLOW_BELOW_SHARE = 0.2
export const PAUSE_BELOW_SHARE = 0.05

export function refreshState(rateLimit: RateLimitFigures | null): RefreshState {
  if (!rateLimit || rateLimit.limit <= 0) return 'normal'
  const share = rateLimit.remaining / rateLimit.limit
  if (share < PAUSE_BELOW_SHARE) return 'paused'
  if (share < SLOW_BELOW_SHARE) return 'slowed'
  return 'normal'
}

/** How old a list must be before a quiet refresh of it; null: not until the user asks. */
export function refreshIntervalMs(cost: number, rateLimit: RateLimitFigures | null): number | null {
  const state = refreshState(rateLimit)
  if (state === 'paused') return null
  const interval = Math.max(MIN_REFRESH_INTERVAL_MS, Math.max(1, cost) * INTERVAL_PER_REQUEST_MS)
  return state === 'slowed' ? interval * SLOWDOWN_FACTOR : interval
}

export function isRefreshDue(options: {
  fetchedAt: number
  now: number
  /** Requests the refresh would send. */
  cost: number
  rateLimit: RateLimitFigures | null
}): boolean {
  const interval = refreshIntervalMs(options.cost, options.rateLimit)
  return interval !== null && options.now - options.fetchedAt >= interval
}
