/**
 * Helpers for the client's tests against the Apple sandbox: signing identities and token signers
 * for the sandbox's keys, a fetch that passes every request through unchanged while checking
 * it (and every JSON answer) against Apple's spec, and the failure a call ends in.
 */
import { importPKCS8 } from 'jose'
import { createHash, createPublicKey } from 'node:crypto'
import { expect } from 'vitest'
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
  /**
   * Requests or answers that break Apple's spec: a request `validateRequest` refuses, an answer
   * `validateResponse` refuses, an answer that is not JSON (an HTML page) or whose JSON does not
   * parse (a cut-off body), and any exception a validator throws.
   */
  readonly problems: string[]
  /** How many JSON answers `validateResponse` actually judged (valid or not). */
  readonly checkedResponses: () => number
  /** Waits for the answer checks still reading bodies (those that can finish). */
  readonly settle: () => Promise<void>
  /**
   * Removes and returns the problems matching `pattern`: for a test that provokes one on purpose
   * (an HTML error page, a truncated body), so that only what it provoked is excused.
   */
  readonly take: (pattern: RegExp) => string[]
  readonly fetch: typeof globalThis.fetch
}

function decoded(search: string): string {
  try {
    return decodeURIComponent(search)
  } catch {
    return search
  }
}

function thrown(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/**
 * A pass-through fetch: `inner` (the real fetch by default) answers, unchanged. On the side it
 * checks each request with `validateRequest` and reads a clone of each answer to check it with
 * `validateResponse`. Only a body that cannot be read to its end (the client gave up on it, the
 * connection dropped) goes unjudged; everything else is either checked or recorded as a problem.
 */
export function specCheckingFetch(inner: typeof globalThis.fetch = fetch): SpecCheck {
  const requests: string[] = []
  const problems: string[] = []
  const pending = new Set<Promise<void>>()
  let checked = 0

  function judge(label: string, method: string, url: URL, status: number, text: string): void {
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      problems.push(
        `${label} → ${status}: a JSON answer that does not parse (${text.length} chars)`,
      )
      return
    }
    try {
      const result = validateResponse(method, url.href, status, body)
      checked += 1
      if (!result.valid) {
        problems.push(`${label} → ${status}: ${result.errors.slice(0, 5).join('; ')}`)
      }
    } catch (error) {
      problems.push(`${label} → ${status}: validateResponse threw ${thrown(error)}`)
    }
  }

  const specFetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString())
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET')
    const label = `${method} ${url.pathname}${decoded(url.search)}`
    requests.push(label)
    try {
      const request = validateRequest(method, url.href)
      if (!request.valid) problems.push(`${label}: ${request.errors.join('; ')}`)
    } catch (error) {
      problems.push(`${label}: validateRequest threw ${thrown(error)}`)
    }
    const response = await inner(input, init)
    const contentType = response.headers.get('content-type') ?? ''
    if (!contentType.includes('json')) {
      problems.push(
        `${label} → ${response.status}: not JSON (Content-Type ${contentType || 'none'})`,
      )
      return response
    }
    const check = response
      .clone()
      .text()
      .then(
        (text) => judge(label, method, url, response.status, text),
        () => undefined, // The body never arrived whole: nothing to judge.
      )
      .finally(() => pending.delete(check))
    pending.add(check)
    return response
  }

  return {
    requests,
    problems,
    checkedResponses: () => checked,
    settle: async () => {
      await Promise.all([...pending])
    },
    take: (pattern) => {
      const taken = problems.filter((problem) => pattern.test(problem))
      const kept = problems.filter((problem) => !pattern.test(problem))
      problems.splice(0, problems.length, ...kept)
      return taken
    },
    fetch: specFetch,
  }
}

/**
 * Waits for `spec`'s answer checks, then expects that nothing broke Apple's spec. The problems are
 * drained, so one test's failure is not reported again by the next.
 */
export async function expectSpecKept(spec: SpecCheck): Promise<void> {
  await spec.settle()
  const found = spec.problems.splice(0)
  expect(found, "requests or answers that break Apple's spec").toEqual([])
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
