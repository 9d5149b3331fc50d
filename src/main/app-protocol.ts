/**
 * How the renderer's files are served: from the built renderer folder, under the app's own origin
 * (`app://ascent` in Electron, a loopback URL in the browser harness), with a strict CSP header.
 */
import { extname, resolve, sep } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'ascent'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * The only images are app icons from Apple's image CDN; the renderer ships no image files and
 * no data: URLs (its icons are inline SVG elements, which img-src does not govern). Trusted
 * Types are required and no policy may be made: no string ever reaches an HTML or script sink
 * (React sets text and attributes, never innerHTML).
 */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  'img-src https://*.mzstatic.com',
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
]

/** The header on every app response. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ')

/**
 * The same policy as a `<meta>` in index.html, so it holds wherever the page is loaded from.
 * `frame-ancestors` works only as a header; browsers ignore it, with a warning, in a meta.
 */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter(
  (directive) => !directive.startsWith('frame-ancestors'),
).join('; ')

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
}

export interface AppAsset {
  filePath: string
  contentType: string
}

/**
 * Maps a request path to a file inside `rendererDir`; `/` is the app page. Null for anything
 * outside the folder or of a type the app does not serve.
 */
export function resolveAppAsset(rendererDir: string, pathname: string): AppAsset | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const root = resolve(rendererDir)
  const filePath = resolve(root, relative)
  if (!filePath.startsWith(root + sep)) return null
  const contentType = MIME_TYPES[extname(filePath).toLowerCase()]
  return contentType ? { filePath, contentType } : null
}

/** A `..` path segment, written plainly or percent-encoded, before any query or fragment. */
const CLIMBING_SEGMENT = /(?:\/|\\|%2f|%5c)(?:\.|%2e){2}(?=$|\/|\\|%2f|%5c)/i

/**
 * The file an `app://` request asks for, or null when it is not for `app://ascent` (another
 * host, another scheme, a port or credentials), tries to climb out of the renderer folder, or
 * names a type the app does not serve. Compares scheme and host, not `URL.origin`: Node gives
 * `"null"` as the origin of every custom-scheme URL.
 */
export function resolveAppRequest(rendererDir: string, requestUrl: string): AppAsset | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  if (url.username || url.password) return null
  // URL parsing already folds `..` into the root; a request that tries is refused outright.
  if (CLIMBING_SEGMENT.test(requestUrl.split(/[?#]/, 1)[0] ?? '')) return null
  return resolveAppAsset(rendererDir, url.pathname)
}

/** Headers every app response carries. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  }
}
