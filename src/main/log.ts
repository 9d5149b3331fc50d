/** Logging that cannot leak a secret: every line passes through `redact` before it is written. */
export interface Logger {
  info(message: string, details?: Record<string, unknown>): void
  warn(message: string, details?: Record<string, unknown>): void
  error(message: string, details?: Record<string, unknown>): void
}

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g
const BEARER = /(Bearer\s+)\S+/gi
/**
 * A key body that lost its BEGIN line: the base64 lines (or escaped newlines) before an END line.
 * Each pattern starts where a run starts (the lookbehind), so a long line is scanned once.
 */
const PEM_TAIL = /(?<![A-Za-z0-9+/=\r\n\\])[A-Za-z0-9+/=\r\n\\]*-----END [A-Z ]+-----/g
/** Base64 in lines, as a key body is, whose short last line a long-run match would miss. */
const BASE64_LINES =
  /(?<![A-Za-z0-9+/=])(?:[A-Za-z0-9+/=]{16,}(?:\\r|\r)?(?:\\n|\n)){2,}[A-Za-z0-9+/=]*/g
/**
 * Base64 and base64url runs of 40 characters or more: a key body without its header lines,
 * base64 of a whole PEM, a token's signature. Shorter runs are IDs (a key ID is 10, an issuer ID
 * 36) and words.
 */
const LONG_BASE64 = /[A-Za-z0-9+/=_-]{40,}/g
const NEVER = /(?!)/g

export function redact(text: string): string {
  return text
    .replace(PEM_BLOCK, '[private key redacted]')
    .replace(text.includes('-----END') ? PEM_TAIL : NEVER, '[private key redacted]')
    .replace(BASE64_LINES, '[redacted]')
    .replace(BEARER, '$1[token redacted]')
    .replace(JWT, '[token redacted]')
    .replace(LONG_BASE64, '[redacted]')
}

function line(level: string, message: string, details?: Record<string, unknown>): string {
  const suffix = details ? ` ${JSON.stringify(details)}` : ''
  return redact(`[${level}] ${message}${suffix}`)
}

/** Writes redacted lines to a sink (stderr by default). */
export function createLogger(
  write: (line: string) => void = (text) => console.error(text),
): Logger {
  return {
    info: (message, details) => write(line('info', message, details)),
    warn: (message, details) => write(line('warn', message, details)),
    error: (message, details) => write(line('error', message, details)),
  }
}

/** For tests and the harness when output is not wanted. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
