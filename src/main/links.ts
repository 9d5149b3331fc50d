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

export function isAllowedExternalUrl(candidate: string): boolean {
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return false
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false
  const rule = ALLOWED.find((entry) => entry.host === url.hostname)
  return rule ? rule.pathPrefixes.some((prefix) => url.pathname.startsWith(prefix)) : false
}
