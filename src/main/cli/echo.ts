import { redact } from '../log'

/** The most of a refused value a usage error repeats: what was typed may be a secret. */
export const MAX_ECHOED_CHARACTERS = 24

/**
 * A value the command line refuses, quoted for its one-line error: whitespace folded, secrets
 * redacted, and never more than its first 24 characters (the start of any key file, PEM or
 * base64, is its fixed header, not the secret).
 */
export function quoteRefused(value: string): string {
  const flat = redact(value).replace(/\s+/g, ' ')
  if (flat.length <= MAX_ECHOED_CHARACTERS) return `"${flat}"`
  return `"${flat.slice(0, MAX_ECHOED_CHARACTERS - 1)}…" (${value.length} characters)`
}
