import type { z } from 'zod'

/**
 * One request/response operation. `request` is the runtime schema main checks every call
 * against; `response` only carries the type (values are plain JSON: no Dates, no classes).
 */
export interface Operation<Request extends z.ZodType, Response> {
  readonly request: Request
  readonly response: Response
}

/** A message main pushes to the renderer. `payload` only carries the type. */
export interface EventDef<Payload> {
  readonly payload: Payload
}

export function operation<Response>() {
  return <Request extends z.ZodType>(request: Request): Operation<Request, Response> => ({
    request,
    response: undefined as Response,
  })
}

export function event<Payload>(): EventDef<Payload> {
  return { payload: undefined as Payload }
}
