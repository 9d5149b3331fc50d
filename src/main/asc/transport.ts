import type { RateLimitFigures } from '../../shared/diagnosis'
import type { Logger } from '../log'
import type { SigningIdentity, TokenSigner } from '../tokens'
import { identityKey } from '../tokens'
import type { AscFailure, BadResponseReason } from './errors'
import { AscError, classifyNetworkError } from './errors'
import { earliestHttpDate, parseRateLimit, parseRetryAfter } from './headers'
import type { RequestQueue } from './queue'
import { createRequestQueue } from './queue'
import type { RetryPolicy } from './retry'
import { retryDelayMs } from './retry'
import { errorDocument } from './schemas'

/**
 * One GET to App Store Connect, done right: a token from the signer, a place in the key's queue,
 * a timeout, cancellation, retries of transient failures, one fresh token after a 401, and the
 * key's rate limit and clock offset recorded from every answer.
 */

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export interface TransportOptions {
  fetch: typeof globalThis.fetch
  baseUrl: string
  tokens: Pick<TokenSigner, 'token' | 'invalidate' | 'recordServerDate' | 'clockOffsetSeconds'>
  now: () => number
  timeoutMs: number
  concurrency: number
  retry: RetryPolicy
  sleep: Sleep
  random: () => number
  log: Logger
}

export interface CallOptions {
  /** Aborts the request in flight, or drops it from the queue. */
  signal?: AbortSignal
  /** Request strings the token is limited to (see `requestScope`); none for a full token. */
  scope?: readonly string[]
  /** Work the user did not ask for: it waits behind the user's requests (see queue.ts). */
  background?: boolean
  /**
   * After a 401, mint a fresh token and try once more (default true). A probe whose only question
   * is whether a token is accepted turns this off: its 401 is the answer.
   */
  refreshAfter401?: boolean
  /**
   * Retry 429s and transient server failures (default true). Background work that has a budget
   * turns this off: it slows itself down instead of spending the key's allowance on retries.
   */
  retryTransient?: boolean
  /** Called as each try is sent (retries too): a caller with a request budget counts here. */
  onSent?: () => void
}

export interface JsonResponse {
  status: number
  body: unknown
  url: URL
  /** `GET /v1/...` as sent, without host or token. */
  request: string
}

export interface KeyUsage {
  /** The latest `X-Rate-Limit` seen for the key; null before the first answer. */
  rateLimit: RateLimitFigures | null
  /** Apple's clock minus ours, in seconds, from the latest `Date` header; null before any. */
  clockOffsetSeconds: number | null
}

export interface RequestCounts {
  /** HTTP requests sent (every try counts). */
  requests: number
  /** Tries after a transient failure. */
  retries: number
  /** Fresh tokens minted after a 401. */
  tokenRefreshes: number
}

interface KeyState {
  queue: RequestQueue
  rateLimit: RateLimitFigures | null
  counts: RequestCounts
}

type Attempt =
  { ok: true; response: JsonResponse } | { ok: false; failure: AscFailure; token: string }

export interface Transport {
  get(identity: SigningIdentity, url: URL, options: CallOptions): Promise<JsonResponse>
  /** Resolves a `links.next`; refuses one that leaves the API's origin. */
  nextUrl(next: string, current: JsonResponse): URL
  usage(identity: SigningIdentity): KeyUsage
  counts(identity: SigningIdentity): RequestCounts
}

/** `GET /v1/builds?filter[app]=1&limit=200`: readable, without host or token. */
function describeRequest(method: string, url: URL): string {
  let search = url.search
  try {
    search = decodeURIComponent(search)
  } catch {
    // A malformed escape: show the query as sent.
  }
  return `${method} ${url.pathname}${search}`
}

function looksLikeHtml(text: string, contentType: string): boolean {
  return contentType.includes('html') || /^\s*</.test(text)
}

function unreadable(text: string, contentType: string): BadResponseReason {
  if (looksLikeHtml(text, contentType)) return 'html'
  return /^\s*[[{]/.test(text) ? 'truncated' : 'not_json'
}

export function createTransport(options: TransportOptions): Transport {
  const base = new URL(options.baseUrl)
  const keys = new Map<string, KeyState>()

  function stateOf(identity: SigningIdentity): KeyState {
    const ref = identityKey(identity)
    let state = keys.get(ref)
    if (!state) {
      state = {
        queue: createRequestQueue(options.concurrency),
        rateLimit: null,
        counts: { requests: 0, retries: 0, tokenRefreshes: 0 },
      }
      keys.set(ref, state)
    }
    return state
  }

  function onSameOrigin(url: URL): boolean {
    return (
      url.origin === base.origin && url.pathname.startsWith(base.pathname.replace(/\/$/, '') + '/')
    )
  }

  /**
   * One try: a token (outside the timeout, as the first one may wait on the keychain), then the
   * fetch and the whole body under the timeout. Throws only what the token signer throws.
   */
  async function attempt(
    identity: SigningIdentity,
    state: KeyState,
    url: URL,
    request: string,
    call: CallOptions,
  ): Promise<Attempt> {
    const token = await options.tokens.token(identity, call.scope ? { scope: call.scope } : {})
    const failed = (failure: AscFailure): Attempt => ({ ok: false, failure, token })
    if (call.signal?.aborted) return failed({ kind: 'canceled', request })
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, options.timeoutMs)
    const forwardAbort = () => controller.abort()
    call.signal?.addEventListener('abort', forwardAbort, { once: true })
    const networkFailure = (error: unknown): Attempt => {
      if (call.signal?.aborted) return failed({ kind: 'canceled', request })
      if (timedOut) return failed({ kind: 'network', reason: 'timeout', request, causeCode: null })
      return failed({ kind: 'network', request, ...classifyNetworkError(error) })
    }
    try {
      state.counts.requests += 1
      call.onSent?.()
      let response: Response
      try {
        response = await options.fetch(url, {
          method: 'GET',
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
          redirect: 'manual',
          signal: controller.signal,
        })
      } catch (error) {
        return networkFailure(error)
      }
      const receivedAt = options.now()
      const serverDate = earliestHttpDate(response.headers.get('date'))
      if (serverDate !== null) options.tokens.recordServerDate(identity, serverDate, receivedAt)
      const rateLimit = parseRateLimit(response.headers.get('x-rate-limit'))
      if (rateLimit) state.rateLimit = rateLimit
      let text: string
      try {
        text = await response.text()
      } catch (error) {
        return networkFailure(error)
      }
      return read(response, text, { url, request, token, serverDate })
    } finally {
      clearTimeout(timer)
      call.signal?.removeEventListener('abort', forwardAbort)
    }
  }

  function read(
    response: Response,
    text: string,
    sent: { url: URL; request: string; token: string; serverDate: number | null },
  ): Attempt {
    const { url, request, token } = sent
    const status = response.status
    const contentType = response.headers.get('content-type') ?? ''
    const badResponse = (reason: BadResponseReason): Attempt => ({
      ok: false,
      token,
      failure: { kind: 'bad_response', reason, status, request, issues: [] },
    })
    if (status >= 300 && status < 400) return badResponse('redirect')
    let body: unknown = undefined
    let parsed = false
    try {
      body = JSON.parse(text)
      parsed = true
    } catch {
      // Not JSON: an error page, or a cut-off answer; decided below by status.
    }
    if (status >= 400) {
      const errors = parsed ? errorDocument.safeParse(body) : null
      return {
        ok: false,
        token,
        failure: {
          kind: 'http',
          status,
          appleCode: errors?.success ? (errors.data.errors[0]?.code ?? null) : null,
          request,
          retryAfterSeconds: parseRetryAfter(
            response.headers.get('retry-after'),
            sent.serverDate ?? options.now(),
          ),
        },
      }
    }
    if (!parsed) return badResponse(unreadable(text, contentType))
    return { ok: true, response: { status, body, url, request } }
  }

  async function get(
    identity: SigningIdentity,
    url: URL,
    call: CallOptions,
  ): Promise<JsonResponse> {
    const request = describeRequest('GET', url)
    if (!onSameOrigin(url)) {
      // Only a `links.next` could point elsewhere, and nextUrl refuses those; this is the backstop
      // that keeps the token from ever leaving for another host.
      throw new AscError({
        kind: 'bad_response',
        reason: 'foreign_link',
        status: 0,
        request,
        issues: [`leaves ${base.origin}`],
      })
    }
    const state = stateOf(identity)
    const canceled = () => new AscError({ kind: 'canceled', request })
    let refreshed = false
    for (let retry = 0; ;) {
      const outcome = await state.queue.run(
        () => attempt(identity, state, url, request, call),
        call.signal,
        canceled,
        call.background ? 'background' : 'user',
      )
      if (outcome.ok) return outcome.response
      const failure = outcome.failure
      const mayRefresh = !refreshed && call.refreshAfter401 !== false
      if (failure.kind === 'http' && failure.status === 401 && mayRefresh) {
        // The token may have been revoked or signed with a wrong clock (now corrected from the
        // 401's Date header): mint a fresh one and try once more.
        refreshed = true
        state.counts.tokenRefreshes += 1
        options.tokens.invalidate(identity, outcome.token)
        continue
      }
      const delay =
        call.retryTransient === false
          ? null
          : retryDelayMs(failure, retry, options.retry, options.random)
      if (delay === null) throw new AscError(failure)
      options.log.info('App Store Connect request retried', {
        request,
        kind: failure.kind,
        status: failure.kind === 'http' ? failure.status : null,
        delayMs: delay,
      })
      retry += 1
      state.counts.retries += 1
      try {
        await options.sleep(delay, call.signal)
      } catch {
        throw canceled()
      }
      if (call.signal?.aborted) throw canceled()
    }
  }

  return {
    get,
    nextUrl(next, current) {
      const url = URL.canParse(next, current.url.href) ? new URL(next, current.url) : null
      const problem = !url
        ? 'links.next: not a URL'
        : !onSameOrigin(url)
          ? `links.next: leaves ${base.origin}`
          : url.href === current.url.href
            ? 'links.next: repeats the request'
            : null
      if (!url || problem) {
        throw new AscError({
          kind: 'bad_response',
          reason: 'foreign_link',
          status: current.status,
          request: current.request,
          issues: [problem ?? 'links.next'],
        })
      }
      return url
    },
    usage(identity) {
      return {
        rateLimit: keys.get(identityKey(identity))?.rateLimit ?? null,
        clockOffsetSeconds: withoutNegativeZero(options.tokens.clockOffsetSeconds(identity)),
      }
    },
    counts(identity) {
      const counts = keys.get(identityKey(identity))?.counts
      return counts ? { ...counts } : { requests: 0, retries: 0, tokenRefreshes: 0 }
    },
  }
}

/** The default sleep: a timer that an abort cuts short (rejecting). */
export const sleepWithSignal: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason as Error)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** A rounded offset can be -0; the UI should not show "-0 s". */
function withoutNegativeZero(value: number | null): number | null {
  return value === null ? null : value + 0
}
