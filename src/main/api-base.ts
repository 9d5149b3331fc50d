import { APPLE_API_BASE } from './platform'

/**
 * Where Ascent sends its requests (and so its bearer tokens): Apple, or in development, the demo
 * and tests the local Apple sandbox. The app and the command line apply the same rule.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Why `url` may not be an API base, or null when it may: https anywhere, plain http only to this
 * computer, so a token never travels in clear text.
 */
export function apiBaseProblem(url: URL): string | null {
  if (url.username || url.password) return 'it must not carry a user name or password'
  if (url.protocol === 'https:') return null
  if (url.protocol !== 'http:') return 'it must be an https URL'
  if (LOOPBACK_HOSTS.has(url.hostname)) return null
  return 'plain http is allowed only to this computer (127.0.0.1, localhost or [::1]), so a token never travels in clear text; use https'
}

/**
 * The app's API base. A packaged app always talks to Apple, so nobody can redirect a user's
 * tokens elsewhere; development builds may name another with ASCENT_API_BASE.
 */
export function resolveApiBase(options: {
  packaged: boolean
  requested: string | undefined
  warn: (message: string) => void
}): string {
  const { packaged, requested, warn } = options
  if (!requested) return APPLE_API_BASE
  if (packaged) {
    warn('ASCENT_API_BASE is ignored in a packaged build; using Apple.')
    return APPLE_API_BASE
  }
  const url = URL.canParse(requested) ? new URL(requested) : null
  const problem = url ? apiBaseProblem(url) : 'it is not a URL'
  if (!url || problem) throw new Error(`ASCENT_API_BASE cannot be used: ${problem}.`)
  return url.origin
}
