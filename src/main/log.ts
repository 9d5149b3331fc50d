/** Logging that cannot leak a secret: every line passes through `redact` before it is written. */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'

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

export const LOG_FILE = 'ascent.log'
/** Per file; the log keeps the current file and the one before it, so at most twice this. */
const DEFAULT_MAX_BYTES = 1024 * 1024
/** A longer line is cut: one runaway message cannot push everything else out of the log. */
const MAX_LINE_CHARACTERS = 4000

export interface LogFile {
  /** The current file: what Help → Reveal Logs shows. */
  path: string
  /** Appends one line, stamped with the time; never throws (a full disk must not stop the app). */
  write(this: void, line: string): void
}

/**
 * The log a user can send with a bug report: `<dir>/ascent.log`, private to the user, redacted
 * line by line, and size-capped. When it would pass `maxBytes` it becomes `ascent.log.1` (the
 * previous one goes) and a new file starts. Writes are synchronous, so the last lines before a
 * crash are on disk.
 */
export function createLogFile(options: {
  dir: string
  now: () => number
  maxBytes?: number
}): LogFile {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const path = join(options.dir, LOG_FILE)
  let size: number | null = null

  const currentSize = (): number => {
    try {
      return statSync(path).size
    } catch {
      return 0
    }
  }

  return {
    path,
    write(line) {
      const clipped =
        line.length > MAX_LINE_CHARACTERS ? `${line.slice(0, MAX_LINE_CHARACTERS)}…` : line
      const text = `${new Date(options.now()).toISOString()} ${redact(clipped)}\n`
      const bytes = Buffer.byteLength(text)
      try {
        if (size === null) {
          mkdirSync(options.dir, { recursive: true, mode: 0o700 })
          size = currentSize()
        }
        if (size > 0 && size + bytes > maxBytes) {
          renameSync(path, `${path}.1`)
          size = 0
        }
        appendFileSync(path, text, { mode: 0o600 })
        size += bytes
      } catch {
        // Logging is best effort; the next write tries again from what is on disk.
        size = null
      }
    },
  }
}
