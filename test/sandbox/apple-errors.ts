/**
 * Apple's error bodies (`ErrorResponse`), with the codes, titles and details Apple sends.
 * Clients branch on `code`; the texts are kept close to Apple's so messages look familiar.
 */
import { randomUUID } from 'node:crypto'

export interface AppleError {
  id: string
  status: string
  code: string
  title: string
  detail: string
  source?: { parameter: string }
}

export interface ErrorReply {
  status: number
  body: { errors: AppleError[] }
}

function reply(
  status: number,
  code: string,
  title: string,
  detail: string,
  source?: AppleError['source'],
): ErrorReply {
  const error: AppleError = { id: randomUUID(), status: String(status), code, title, detail }
  if (source) error.source = source
  return { status, body: { errors: [error] } }
}

/** Every authentication failure, whatever the cause: Apple never says which check failed. */
export function notAuthorized(): ErrorReply {
  return reply(
    401,
    'NOT_AUTHORIZED',
    'Authentication credentials are missing or invalid.',
    'Provide a properly configured and signed bearer token, and make sure that it has not expired. Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens',
  )
}

export function forbiddenByRole(): ErrorReply {
  return reply(
    403,
    'FORBIDDEN_ERROR',
    'This request is forbidden for security reasons',
    'The API key in use does not allow this request',
  )
}

export function agreementsMissing(): ErrorReply {
  return reply(
    403,
    'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
    'A required agreement is missing or has expired.',
    'This request requires an in-effect agreement that has not been signed or has expired.',
  )
}

export function resourceNotFound(type: string, id: string): ErrorReply {
  return reply(
    404,
    'NOT_FOUND',
    'The specified resource does not exist',
    `There is no resource of type '${type}' with id '${id}'`,
  )
}

export function pathNotFound(servedBySpec: boolean): ErrorReply {
  return reply(
    404,
    'NOT_FOUND',
    'The specified resource does not exist',
    servedBySpec
      ? 'The path provided is part of the API but the Apple sandbox does not serve it.'
      : 'The path provided does not match a defined resource type.',
  )
}

export function methodNotAllowed(method: string): ErrorReply {
  return reply(
    405,
    'METHOD_NOT_ALLOWED',
    'The request method is not allowed for this resource',
    `The Apple sandbox is read-only: ${method} is not served.`,
  )
}

export function parameterError(
  code: 'PARAMETER_ERROR.ILLEGAL' | 'PARAMETER_ERROR.INVALID',
  parameter: string,
  detail: string,
): ErrorReply {
  const title =
    code === 'PARAMETER_ERROR.ILLEGAL'
      ? 'A given parameter is not allowed for this request'
      : 'A parameter has an invalid value'
  return reply(400, code, title, detail, { parameter })
}

export function rateLimited(): ErrorReply {
  return reply(
    429,
    'RATE_LIMIT_EXCEEDED',
    'The request rate limit has been reached.',
    "We've received too many requests for this API. Please wait and try again or slow down your request rate.",
  )
}

export function unexpected(status: 500 | 503): ErrorReply {
  return reply(
    status,
    'UNEXPECTED_ERROR',
    'An unexpected error occurred.',
    'An unexpected error occurred on the server side. If this issue continues, contact us at https://developer.apple.com/contact/.',
  )
}
