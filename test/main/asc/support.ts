/**
 * Helpers for the client's tests against the Apple sandbox: signing identities and token signers
 * for the sandbox's keys, a fetch that passes every request through unchanged while checking
 * it (and every JSON answer) against Apple's spec, and the failure a call ends in.
 */
import { importPKCS8 } from 'jose'
import { createHash, createPublicKey } from 'node:crypto'
import { AscError, createAscClient } from '../../../src/main/asc'
import type { AscClient, AscClientOptions, AscFailure } from '../../../src/main/asc'
import { createTokenSigner } from '../../../src/main/tokens'
import type { SigningIdentity, TokenSigner } from '../../../src/main/tokens'
import type { Sandbox, SandboxKey } from '../../sandbox/index'
import { validateRequest, validateResponse } from '../../sandbox/openapi'

export function identityOf(key: SandboxKey): SigningIdentity {
  const der = createPublicKey(key.privateKeyPem).export({ type: 'spki', format: 'der' })
  return {
    keyType: key.type,
    keyId: key.keyId,
    issuerId: key.issuerId,
    fingerprint: createHash('sha256').update(der).digest('hex'),
  }
}

/** A token signer that knows the sandbox's private keys, as the keys module would load them. */
export function signerFor(sandbox: Sandbox, now: () => number = Date.now): TokenSigner {
  const pems = new Map(
    sandbox.teams.flatMap((team) => team.keys).map((key) => [identityOf(key).fingerprint, key]),
  )
  return createTokenSigner({
    now,
    loadKey: async (identity) => {
      const key = pems.get(identity.fingerprint)
      if (!key) throw new Error(`no sandbox key ${identity.keyId}`)
      return importPKCS8(key.privateKeyPem, 'ES256')
    },
  })
}

export interface SpecCheck {
  /** Every request sent, as `GET /v1/...?...` (host left out). */
  readonly requests: string[]
  /** Requests or answers that break Apple's spec. */
  readonly problems: string[]
  /** How many JSON answers were checked against the spec. */
  readonly checkedResponses: () => number
  /** Waits for the answer checks still reading bodies (those that can finish). */
  readonly settle: () => Promise<void>
  readonly fetch: typeof globalThis.fetch
}

/**
 * A pass-through fetch: the real sandbox answers, unchanged. On the side it checks each request
 * with `validateRequest` and reads a clone of each answer to check it with `validateResponse`.
 */
export function specCheckingFetch(): SpecCheck {
  const requests: string[] = []
  const problems: string[] = []
  const pending = new Set<Promise<void>>()
  let checked = 0
  const specFetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString())
    const method = init?.method ?? 'GET'
    const label = `${method} ${url.pathname}${decodeURIComponent(url.search)}`
    requests.push(label)
    const request = validateRequest(method, url.href)
    if (!request.valid) problems.push(`${label}: ${request.errors.join('; ')}`)
    const response = await fetch(input, init)
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      const check = response
        .clone()
        .text()
        .then((text) => {
          let body: unknown
          try {
            body = JSON.parse(text)
          } catch {
            return // A cut-off answer from a fault switch: the client's own tests judge it.
          }
          checked += 1
          const result = validateResponse(method, url.href, response.status, body)
          if (!result.valid) {
            problems.push(`${label} → ${response.status}: ${result.errors.slice(0, 5).join('; ')}`)
          }
        })
        .catch(() => undefined)
        .finally(() => pending.delete(check))
      pending.add(check)
    }
    return response
  }
  return {
    requests,
    problems,
    checkedResponses: () => checked,
    settle: async () => {
      await Promise.all([...pending])
    },
    fetch: specFetch,
  }
}

export interface TestClient {
  asc: AscClient
  tokens: TokenSigner
  spec: SpecCheck
  /** Every back-off the client asked for, in ms. */
  sleeps: number[]
}

/** A client on the sandbox with fast back-off (1 ms steps) and the spec check on every request. */
export function clientFor(
  sandbox: Sandbox,
  { clock, ...options }: Partial<AscClientOptions> & { clock?: () => number } = {},
): TestClient {
  const spec = specCheckingFetch()
  const tokens = signerFor(sandbox, clock)
  const sleeps: number[] = []
  const asc = createAscClient({
    fetch: spec.fetch,
    baseUrl: sandbox.url,
    tokens,
    now: clock,
    retry: { baseDelayMs: 1, maxDelayMs: 4 },
    sleep: (ms, signal) => {
      sleeps.push(ms)
      return new Promise((resolve, reject) => {
        if (signal?.aborted) reject(new Error('aborted'))
        else setTimeout(resolve, Math.min(ms, 5))
      })
    },
    ...options,
  })
  return { asc, tokens, spec, sleeps }
}

/** The typed failure `promise` rejects with; throws when it resolves or fails otherwise. */
export async function failureOf(promise: Promise<unknown>): Promise<AscFailure> {
  try {
    await promise
  } catch (error) {
    if (error instanceof AscError) return error.failure
    throw error
  }
  throw new Error('expected an AscError')
}
