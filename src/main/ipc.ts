/**
 * The one door into main. Every channel goes through `dispatch`, which (a) refuses senders that are
 * not the app's own top frame at the app's own origin, (b) checks the request against the channel's
 * schema, and (c) turns any failure into `{ ok: false, error: { code, message } }` with no stack
 * trace and no secret. Transport-free: the Electron entry and the browser harness both call it.
 */
import { operations, type Channel, type ParsedRequestOf, type ResponseOf } from '../shared/contract'
import type { ErrorCode } from '../shared/errors'
import { IpcErrorCode, type Result } from '../shared/result'
import { isAppError } from './errors'
import type { Logger } from './log'

export interface Sender {
  /** The URL of the frame that sent the message (Electron: `event.senderFrame.url`). */
  url: string
  /** False for iframes and other subframes. */
  isTopFrame: boolean
}

export type Handler<C extends Channel> = (
  request: ParsedRequestOf<C>,
) => Promise<ResponseOf<C>> | ResponseOf<C>

export type Handlers = { [C in Channel]: Handler<C> }

/** The handlers of one domain, e.g. `HandlersOf<'keys'>` for every `keys:*` channel. */
export type HandlersOf<Namespace extends string> = {
  [C in Channel as C extends `${Namespace}:${string}` ? C : never]: Handler<C>
}

export type Dispatch = (
  channel: string,
  request: unknown,
  sender: Sender,
) => Promise<Result<unknown>>

/** What main knows of the frame that sent a message: Electron's `WebFrameMain`, or null. */
export interface SenderFrame {
  readonly url: string
  /** Null for a window's top frame; the parent frame for iframes. */
  readonly parent: object | null
}

/**
 * The sender of an Electron IPC message. Electron gives no frame (null) once it navigated away
 * or was destroyed, and a disposed frame throws when read: both are untrusted.
 */
export function senderOfFrame(frame: SenderFrame | null | undefined): Sender {
  try {
    return frame ? { url: frame.url, isTopFrame: frame.parent === null } : UNKNOWN_SENDER
  } catch {
    return UNKNOWN_SENDER
  }
}

const UNKNOWN_SENDER: Sender = { url: '', isTopFrame: false }

export function isTrustedSender(sender: Sender, trustedOrigin: string): boolean {
  if (!sender.isTopFrame) return false
  return originOf(sender.url) === trustedOrigin
}

/** `scheme://host[:port]`. Not `URL.origin`: Node gives `"null"` for custom schemes like app://. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null
  } catch {
    return null
  }
}

function isChannel(channel: string): channel is Channel {
  return Object.prototype.hasOwnProperty.call(operations, channel)
}

/**
 * What an error message may repeat of what the page sent (a key, a value quoted by zod): at most
 * 80 characters of the field's path and 120 of the schema's message. A page cannot make main
 * echo back, or log, a large payload.
 */
const MAX_PATH_ECHO = 80
const MAX_MESSAGE_ECHO = 120

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0]
  if (!first) return 'The request is not valid.'
  const path = first.path.map(String).join('.')
  const where = path ? ` at "${clip(path, MAX_PATH_ECHO)}"` : ''
  return `The request is not valid${where}: ${clip(first.message, MAX_MESSAGE_ECHO)}.`
}

export function createDispatcher(options: {
  trustedOrigin: string
  handlers: Handlers
  log: Logger
}): Dispatch {
  const { trustedOrigin, handlers, log } = options

  return async (channel, request, sender) => {
    if (!isTrustedSender(sender, trustedOrigin)) {
      log.warn('refused IPC from an untrusted sender', {
        channel,
        origin: originOf(sender.url) ?? 'unparseable',
        isTopFrame: sender.isTopFrame,
      })
      return failure(IpcErrorCode.untrustedSender, 'This window is not allowed to talk to Ascent.')
    }
    if (!isChannel(channel)) {
      return failure(
        IpcErrorCode.unknownChannel,
        `Ascent has no operation named "${clip(channel, MAX_PATH_ECHO)}".`,
      )
    }
    const parsed = operations[channel].request.safeParse(request)
    if (!parsed.success) {
      return failure(IpcErrorCode.invalidRequest, describeIssues(parsed.error.issues))
    }
    const handler = handlers[channel] as (request: unknown) => unknown
    try {
      const value = await handler(parsed.data)
      return { ok: true, value: value === undefined ? null : value }
    } catch (error) {
      if (isAppError(error)) return failure(error.code, error.message)
      log.error('IPC handler failed', {
        channel,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      })
      return failure(IpcErrorCode.internal, 'Something went wrong inside Ascent. Please try again.')
    }
  }
}

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } }
}
