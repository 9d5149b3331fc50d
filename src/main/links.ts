/**
 * The only web pages Ascent opens, in the user's browser: App Store Connect and Apple's developer
 * documentation. Anything else a page asks for is refused in main.
 */
/** Users and Access → Integrations → App Store Connect API: where keys are made and revoked. */
export const API_KEYS_URL = 'https://appstoreconnect.apple.com/access/integrations/api'

const ALLOWED: { host: string; pathPrefixes: string[] }[] = [
  { host: 'appstoreconnect.apple.com', pathPrefixes: ['/'] },
  { host: 'developer.apple.com', pathPrefixes: ['/documentation/', '/help/', '/go/', '/support/'] },
]

/**
 * The URL to hand the browser, as parsed and checked (`URL.href`), or null when it is not on the
 * list. Never the string the page sent: a browser or the OS may read odd input (a backslash, a
 * stray `@`, a tab) differently from how it was checked here.
 */
export function allowedExternalUrl(candidate: string): string | null {
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null
  const rule = ALLOWED.find((entry) => entry.host === url.hostname)
  return rule?.pathPrefixes.some((prefix) => url.pathname.startsWith(prefix)) ? url.href : null
}
