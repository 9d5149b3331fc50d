/**
 * Token scopes. A scope entry is one request, `GET /v1/apps?fields[apps]=name&include=...`; Apple
 * matches it against a request regardless of parameter order and without `limit`, `cursor` and
 * `sort`. `requestScope` writes the entry for a request in one canonical form: parameters sorted
 * by name, those three left out, brackets and commas readable.
 */

const IGNORED = new Set(['limit', 'cursor', 'sort'])

/** Percent-encodes only what would change how a query string splits or decodes. */
function encodePart(text: string): string {
  return text.replace(/[%&=+#\s]/g, (character) => encodeURIComponent(character))
}

/** `target` is a path with its query (`/v1/apps?limit=1`) or an absolute URL. */
export function requestScope(method: string, target: string | URL): string {
  const url = new URL(target, 'https://scope.invalid')
  const query = [...url.searchParams]
    .filter(([name]) => !IGNORED.has(name))
    .map(([name, value]) => `${encodePart(name)}=${encodePart(value)}`)
    .sort()
    .join('&')
  return `${method.toUpperCase()} ${url.pathname}${query ? `?${query}` : ''}`
}
