import { createServer as createHttpServer } from 'node:http'
import type { Server } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { AscError, classifyNetworkError, isAscError } from '../../../src/main/asc'
import { isAppError } from '../../../src/main/errors'

/** What Node's fetch (undici) throws: `TypeError('fetch failed')` with the socket error as cause. */
function undiciFailure(code: string, wrapper = 'fetch failed'): TypeError {
  return new TypeError(wrapper, { cause: Object.assign(new Error(`socket ${code}`), { code }) })
}

async function listening(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function fetchError(url: string): Promise<unknown> {
  try {
    const response = await fetch(url)
    await response.text()
  } catch (error) {
    return error
  }
  throw new Error(`${url} did not fail`)
}

describe('classifyNetworkError', () => {
  it.each([
    ['ECONNREFUSED', 'offline'],
    ['ENOTFOUND', 'offline'],
    ['EAI_AGAIN', 'offline'],
    ['ENETUNREACH', 'offline'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['ECONNRESET', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['EPIPE', 'reset'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
  ])('reads %s in error.cause.code as %s', (code, reason) => {
    expect(classifyNetworkError(undiciFailure(code))).toEqual({ reason, causeCode: code })
  })

  it('looks inside an AggregateError (one address per family) and deeper causes', () => {
    const aggregate = Object.assign(
      new AggregateError([
        Object.assign(new Error('a'), { code: 'ECONNREFUSED' }),
        Object.assign(new Error('b'), { code: 'ECONNREFUSED' }),
      ]),
      {},
    )
    expect(classifyNetworkError(new TypeError('fetch failed', { cause: aggregate }))).toEqual({
      reason: 'offline',
      causeCode: 'ECONNREFUSED',
    })
    const deep = new TypeError('terminated', {
      cause: new Error('x', { cause: undiciFailure('ECONNRESET') }),
    })
    expect(classifyNetworkError(deep).reason).toBe('reset')
  })

  it('calls an unknown failure offline and keeps its code for the log', () => {
    expect(classifyNetworkError(undiciFailure('E_SOMETHING_NEW'))).toEqual({
      reason: 'offline',
      causeCode: 'E_SOMETHING_NEW',
    })
    expect(classifyNetworkError(new TypeError('fetch failed'))).toEqual({
      reason: 'offline',
      causeCode: null,
    })
    expect(classifyNetworkError('not an error')).toEqual({ reason: 'offline', causeCode: null })
  })

  it('classifies real failures of Node fetch: refused, TLS to a plain port, reset, cut body', async () => {
    const closed = createNetServer()
    const closedPort = await listening(closed)
    await new Promise((resolve) => closed.close(resolve))
    expect(classifyNetworkError(await fetchError(`http://127.0.0.1:${closedPort}/`)).reason).toBe(
      'offline',
    )

    const plain = createHttpServer((_request, response) => response.end('{}'))
    const plainPort = await listening(plain)
    expect(classifyNetworkError(await fetchError(`https://127.0.0.1:${plainPort}/`)).reason).toBe(
      'tls',
    )
    plain.close()

    const resetting = createNetServer((socket) => socket.on('data', () => socket.resetAndDestroy()))
    const resetPort = await listening(resetting)
    expect(classifyNetworkError(await fetchError(`http://127.0.0.1:${resetPort}/`)).reason).toBe(
      'reset',
    )
    resetting.close()

    const cutting = createHttpServer((_request, response) => {
      response.writeHead(200, { 'Content-Length': '100' })
      // Cut off once the first part has been handed to the connection.
      response.write('{"data":', () => response.socket?.destroy())
    })
    const cutPort = await listening(cutting)
    expect(classifyNetworkError(await fetchError(`http://127.0.0.1:${cutPort}/`)).reason).toBe(
      'reset',
    )
    cutting.close()
  })
})

describe('AscError', () => {
  it('is an AppError with a stable code per kind and a message without the host', () => {
    const error = new AscError({
      kind: 'http',
      status: 403,
      appleCode: 'FORBIDDEN_ERROR',
      request: 'GET /v1/users?limit=1',
      retryAfterSeconds: null,
    })
    expect(isAppError(error)).toBe(true)
    expect(isAscError(error)).toBe(true)
    expect(error.code).toBe('asc.http')
    expect(error.kind).toBe('http')
    expect(error.request).toBe('GET /v1/users?limit=1')
    expect(error.message).toContain('403 (FORBIDDEN_ERROR)')
    expect(error.message).not.toContain('apple.com')
    const canceled = new AscError({ kind: 'canceled', request: 'GET /v1/apps' })
    expect(canceled.code).toBe('asc.canceled')
    expect(isAscError(new Error('x'))).toBe(false)
  })
})
