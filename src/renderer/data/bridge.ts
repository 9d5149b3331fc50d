/** The renderer's single way to main: `window.ascent`, with results unwrapped into values or errors. */
import type { IpcError, Result } from '../../shared/result'

export const ascent = window.ascent

/** A typed failure from main, carrying its stable code. */
export class BridgeError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message)
    this.name = 'BridgeError'
  }

  get code(): string {
    return this.error.code
  }
}

export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending
  if (!result.ok) throw new BridgeError(result.error)
  return result.value
}

export function errorOf(reason: unknown): IpcError {
  if (reason instanceof BridgeError) return reason.error
  return { code: 'renderer', message: reason instanceof Error ? reason.message : String(reason) }
}
