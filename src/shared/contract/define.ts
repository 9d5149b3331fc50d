import { z } from 'zod'

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

/**
 * Something the screens browse (a team's apps, a build's TestFlight groups): the params that pick
 * one (an app, a build) and, as a type only, the value main answers with. Every resource is read
 * through the one `browse:read` channel; main serves it through one serve step.
 */
export interface ResourceDef<Params extends z.ZodType, Value> {
  readonly params: Params
  readonly value: Value
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

/** `resource<AppRow[]>()({})`, `resource<BuildDetail>()({ buildId: id })`. */
export function resource<Value>() {
  return <Shape extends z.ZodRawShape>(
    shape: Shape,
  ): ResourceDef<z.ZodObject<Shape, z.core.$strict>, Value> => ({
    params: z.object(shape).strict(),
    value: undefined as Value,
  })
}
