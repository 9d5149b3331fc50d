import { APPLE_API_BASE } from './platform'

/**
 * The API base URL. Development builds, the demo and tests may point Ascent at the local Apple
 * sandbox; a packaged app always talks to Apple, so nobody can redirect a user's tokens elsewhere.
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
  const url = new URL(requested)
  if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error('ASCENT_API_BASE must be https, or http on this machine (the sandbox).')
  }
  return url.origin
}
