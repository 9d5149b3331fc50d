import type { ErrorCode } from './errors'

/** Every IPC answer: a value, or a typed error the renderer can show. Never a stack trace. */
export interface IpcError {
  /** Stable, dotted code (`ipc.invalid_request`, `keychain.locked`, ...). Branch on this. */
  code: ErrorCode
  /** One or two plain sentences for the user. Never contains a secret. */
  message: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError }

/** Codes the IPC layer itself answers with, before any domain module runs. */
export const IpcErrorCode = {
  untrustedSender: 'ipc.untrusted_sender',
  unknownChannel: 'ipc.unknown_channel',
  invalidRequest: 'ipc.invalid_request',
  transport: 'ipc.transport',
  internal: 'internal',
} as const satisfies Record<string, ErrorCode>
