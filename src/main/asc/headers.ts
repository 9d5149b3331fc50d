import type { RateLimitFigures } from '../../shared/diagnosis'

/**
 * `X-Rate-Limit: user-hour-lim:3600;user-hour-rem:3599;` → `{ limit: 3600, remaining: 3599 }`.
 * Entries may come in any order and others may be added; null when either figure is missing.
 */
export function parseRateLimit(header: string | null): RateLimitFigures | null {
  if (!header) return null
  const figures = new Map<string, number>()
  for (const entry of header.split(';')) {
    const match = /^\s*([\w-]+)\s*:\s*(\d+)\s*$/.exec(entry)
    if (match?.[1] && match[2]) figures.set(match[1].toLowerCase(), Number(match[2]))
  }
  const limit = figures.get('user-hour-lim')
  const remaining = figures.get('user-hour-rem')
  return limit === undefined || remaining === undefined ? null : { limit, remaining }
}

/**
 * `Retry-After` in whole seconds from now: delay-seconds or an HTTP date (measured against
 * `nowMs`, which should be Apple's time as well as we know it). Null when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (!header) return null
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text)
  // An HTTP date starts with the day's name (`Wed, 21 Oct 2015 07:28:00 GMT`).
  if (!/^[A-Za-z]{3}/.test(text)) return null
  const at = Date.parse(text)
  if (Number.isNaN(at)) return null
  return Math.max(0, Math.ceil((at - nowMs) / 1000))
}
