import type { ErrorCode } from '../shared/errors'

/**
 * An expected failure with a stable code and a message fit for the user. The IPC layer passes
 * `code` and `message` to the renderer; anything else thrown becomes a generic `internal` error.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/** The `code` an error carries (`ENOENT` from the file system, `ERR_…` from Node, an AppError's). */
export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined
}
