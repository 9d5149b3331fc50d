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
  const at = parseHttpDate(text)
  if (at === null) return null
  return Math.max(0, Math.ceil((at - nowMs) / 1000))
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTH = `(?<month>${MONTHS.join('|')})`
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})'
const DAY_NAME =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/

/** The three forms of an HTTP date a recipient must accept (RFC 9110 §5.6.7). */
const HTTP_DATE_FORMS: { pattern: RegExp; year: (digits: number) => number }[] = [
  // `Tue, 01 Dec 2026 10:00:00 GMT`: the one senders must use.
  {
    pattern: new RegExp(
      `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`,
    ),
    year: (digits) => digits,
  },
  // `Tuesday, 01-Dec-26 10:00:00 GMT` (obsolete): a two-digit year, read as POSIX does.
  {
    pattern: new RegExp(
      `^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`,
    ),
    year: (digits) => (digits < 69 ? 2000 + digits : 1900 + digits),
  },
  // `Tue Dec  1 10:00:00 2026`: C's asctime (obsolete).
  {
    pattern: new RegExp(
      `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} (?<day> \\d|\\d{2}) ${TIME} (?<year>\\d{4})$`,
    ),
    year: (digits) => digits,
  },
]

/**
 * One HTTP date in any of its three forms, in ms since the epoch; null for anything else
 * (however `Date.parse` would take it) and for a time that does not exist (31 Nov, 25:00).
 */
export function parseHttpDate(text: string): number | null {
  for (const form of HTTP_DATE_FORMS) {
    const groups = form.pattern.exec(text)?.groups
    if (!groups) continue
    const month = MONTHS.indexOf(groups.month ?? '')
    const given = [
      form.year(Number(groups.year)),
      month,
      Number(groups.day),
      Number(groups.hour),
      Number(groups.minute),
      Number(groups.second),
    ] as const
    const ms = Date.UTC(...given)
    const date = new Date(ms)
    // Date.UTC rolls 31 Nov over into December: a time that does not read back is not one.
    const readBack = [
      date.getUTCFullYear(),
      date.getUTCMonth(),
      date.getUTCDate(),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
    ]
    return readBack.every((part, index) => part === given[index]) ? ms : null
  }
  return null
}

/**
 * The earliest well-formed date of a `Date` header, in ms since the epoch; null when there is none.
 * A proxy may add its own `Date`, and fetch joins repeated fields with ", ", although HTTP dates
 * hold a comma themselves (`Tue, 01 Dec 2026 10:00:00 GMT, Tue, 01 Dec 2026 10:00:05 GMT`).
 * The earliest, as Apple's clock is read early: it can date a token only in Apple's past.
 */
export function earliestHttpDate(header: string | null): number | null {
  if (!header) return null
  const items: string[] = []
  for (const piece of header.split(',').map((part) => part.trim())) {
    const last = items.at(-1)
    // A day's name alone was cut off its date at the comma that follows it.
    if (last !== undefined && DAY_NAME.test(last)) items[items.length - 1] = `${last}, ${piece}`
    else items.push(piece)
  }
  const dates = items.map(parseHttpDate).filter((date): date is number => date !== null)
  return dates.length > 0 ? Math.min(...dates) : null
}
