/**
 * The sandbox's HTTP server (Node's own `http`). Order of checks for a `/v1` request:
 *   latency and network faults → token (401) → hourly budget (429) → `error` faults (500/503) →
 *   agreements (403) → path (404) → role (403) → method (405, read-only) → parameters (400) →
 *   the resource (200 or 404 outside the key's team or apps).
 * Every response has `Date` (from the sandbox clock) and `Content-Type: application/json`.
 * `X-Rate-Limit: user-hour-lim:N;user-hour-rem:M;` is on every response of the API for a key, as
 * apple-api-facts.md §3 says ("Every response carries X-Rate-Limit", the limit being per key):
 * - once the token is accepted, the request is counted (a 429 is not) and the figures include it;
 * - on a 401 whose token names a known key in `kid` (revoked, badly signed, expired, …), that key's
 *   figures as they stand: a rejected request is not counted, as the facts do not say Apple counts it.
 * A 401 whose token names no known key (no token, not a JWT, no or an unknown `kid`) has none: the
 * figures belong to a key, and there is none to report. This is the sandbox's one exception to
 * "every response"; the client and the diagnosis do not depend on it.
 * A 429 carries `Retry-After` unless the switch is off (`retryAfter`): the facts say to honour it
 * "when present", so clients must also back off without it.
 *
 * Role matrix (GET; there is no per-endpoint role in Apple's spec, this follows Apple's role docs):
 *   /v1/users…                       Admin only (App Manager, Developer, individual keys → 403)
 *   every other served path          Admin, App Manager, Developer
 * Writes (POST, PATCH, DELETE) answer 405 after the role check.
 *
 * Admin endpoints live under `/__sandbox`, outside the API: no token, no rate limit, not logged.
 *   GET /__sandbox                               teams, keys (no private keys) and fixtures
 *   GET|POST|PUT|DELETE /__sandbox/faults        list | add (a rule or an array) | replace | clear
 *   POST /__sandbox/keys/{keyId}/revoke|unrevoke
 *   GET|PUT|DELETE /__sandbox/rate-limit         settings and usage | {"hourlyLimit"?: n,
 *                                                "retryAfter"?: boolean} | reset counters
 *   GET|DELETE /__sandbox/requests               the request log | empty it
 *
 * Every logged request is `held` while the sandbox works on it (a latency fault, a hang), then
 * `answered` or `dropped`; `waitForRequest` lets a test await such a change instead of a pause.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import type { KeyType, Role } from '../../src/shared/keys'
import {
  agreementsMissing,
  forbiddenByRole,
  methodNotAllowed,
  notAuthorized,
  parameterError,
  pathNotFound,
  rateLimited,
  unexpected,
} from './apple-errors'
import { TokenChecker } from './auth'
import type { KeyRecord } from './auth'
import { FaultBook, faultRulesSchema } from './faults'
import type { FaultKind } from './faults'
import { answerGet, isServed } from './jsonapi'
import type { Reply } from './jsonapi'
import type { Row, Store } from './model'
import { findOperation } from './openapi'
import { checkQuery } from './query'

export interface KeyState extends KeyRecord {
  role: Role
  visibleAppIds: ReadonlySet<string> | null
  agreementsSigned: boolean
}

/**
 * `held` from arrival while the sandbox works on the request (during a latency fault, and for as
 * long as a hang lasts); then `answered` once a status and body were sent (a `truncate` too), or
 * `dropped` when it ended without an answer: a reset, a hang whose connection closed, a client
 * that left during a latency fault.
 */
export type RequestState = 'held' | 'answered' | 'dropped'

export interface RequestLogEntry {
  /** ISO time on the sandbox clock. */
  at: string
  method: string
  /** Path and query as sent. */
  path: string
  /** The accepted key, or for a rejected token the key ID its header claimed. Never the token. */
  keyId: string | null
  /** The key type the token's claims describe (`iss`: team; `sub: "user"`: individual), unchecked. */
  keyType: KeyType | null
  /** 0 when no status was sent (reset, hang). */
  status: number
  fault?: FaultKind
  state: RequestState
}

/** A test's wait on the log: `settle` looks again, and says whether the wait is over. */
interface LogWaiter {
  settle: () => boolean
}

/** What `updateBuild` may change of a build. */
export interface BuildChange {
  processingState?: 'PROCESSING' | 'VALID' | 'FAILED' | 'INVALID'
  usesNonExemptEncryption?: boolean | null
  expired?: boolean
}

export interface ServerOptions {
  store: Store
  keys: Map<string, KeyState>
  hourlyLimit: number
  /** Send `Retry-After` with a 429. */
  retryAfter: boolean
  now: () => number
  /** The body of `GET /__sandbox`. */
  describe: () => unknown
}

const HOUR_MS = 3_600_000
const LOG_ENTRIES = 10_000
/** How long a test waits on the log before it fails, naming what it waited for. */
const WAIT_MS = 10_000
const NETWORK_FAULTS: FaultKind[] = ['html', 'reset', 'hang', 'truncate']

/** Apple's role rules as far as the sandbox serves them: user management needs Admin. */
export function roleAllows(role: Role, pathname: string): boolean {
  return pathname.split('/')[2] !== 'users' || role === 'ADMIN'
}

function htmlPage(status: 502 | 503): string {
  const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable'
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>Apple</center>\r\n</body>\r\n</html>\r\n`
}

interface Answer extends Reply {
  headers: Record<string, string>
}

export class SandboxServer {
  readonly faults = new FaultBook()
  hourlyLimit: number
  retryAfter: boolean
  private readonly server: Server
  private readonly checker: TokenChecker
  private readonly usage = new Map<string, number[]>()
  private readonly cache = new Map<string, readonly Row[]>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private log: RequestLogEntry[] = []
  private readonly waiters = new Set<LogWaiter>()
  private origin = ''

  constructor(private readonly options: ServerOptions) {
    this.hourlyLimit = options.hourlyLimit
    this.retryAfter = options.retryAfter
    this.checker = new TokenChecker(options.keys)
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        console.error('Apple sandbox: request failed', error)
        if (!response.headersSent) this.sendJson(response, unexpected(500), {})
        else response.destroy()
      })
    })
    // Node's 5 s leaves a client (undici expires idle connections 1 s before the server's hint)
    // a one-second margin, which a loaded test machine's stalls exceed: the client then reuses a
    // connection the server just closed (ECONNRESET). Closing the sandbox still drops them all.
    this.server.keepAliveTimeout = 65_000
  }

  get url(): string {
    return this.origin
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    await closed
  }

  requestLog(): RequestLogEntry[] {
    return this.log.map((entry) => ({ ...entry }))
  }

  resetRequestLog(): void {
    this.log = []
    this.logChanged()
  }

  /**
   * Resolves with the first request in the log, now or once it arrives or changes state, that
   * `test` accepts. Rejects after `timeoutMs` with what the log held: a wait that names its event.
   */
  waitForRequest(
    test: (entry: RequestLogEntry) => boolean,
    timeoutMs = WAIT_MS,
  ): Promise<RequestLogEntry> {
    return this.waitFor(() => this.requestLog().find(test), timeoutMs, 'no request matched')
  }

  /** Resolves with the log once no request in it is held: each was answered or dropped. */
  waitUntilSettled(timeoutMs = WAIT_MS): Promise<RequestLogEntry[]> {
    return this.waitFor(
      () => (this.log.some((entry) => entry.state === 'held') ? undefined : this.requestLog()),
      timeoutMs,
      'requests were still held',
    )
  }

  private waitFor<T>(check: () => T | undefined, timeoutMs: number, failure: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiter: LogWaiter = {
        settle: () => {
          const found = check()
          if (found === undefined) return false
          clearTimeout(timer)
          this.waiters.delete(waiter)
          resolve(found)
          return true
        },
      }
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        const seen = this.log.map((entry) => `${entry.path} ${entry.state} ${entry.status}`)
        reject(
          new Error(
            `Apple sandbox: ${failure} within ${timeoutMs} ms. Log: ${seen.join('; ') || 'empty'}`,
          ),
        )
      }, timeoutMs)
      if (!waiter.settle()) this.waiters.add(waiter)
    })
  }

  /** Tells the waiting tests that the log changed. */
  private logChanged(): void {
    for (const waiter of [...this.waiters]) waiter.settle()
  }

  private settle(entry: RequestLogEntry, state: Exclude<RequestState, 'held'>): void {
    if (entry.state !== 'held') return
    entry.state = state
    this.logChanged()
  }

  resetRateLimits(): void {
    this.usage.clear()
  }

  /**
   * A build changes as App Store Connect changes it: processing ends, export compliance is
   * answered, it is expired by hand. Its TestFlight states follow, and answers read it afresh.
   */
  updateBuild(buildId: string, change: BuildChange): void {
    const build = this.options.store.get('builds', buildId)
    if (!build) throw new Error(`Unknown build ${buildId}`)
    Object.assign(build.attributes, change)
    const detail = this.options.store.get('buildBetaDetails', buildId)
    if (detail) {
      const { processingState, usesNonExemptEncryption, expired } = build.attributes
      const state =
        processingState === 'PROCESSING'
          ? 'PROCESSING'
          : processingState !== 'VALID'
            ? 'PROCESSING_EXCEPTION'
            : expired === true
              ? 'EXPIRED'
              : usesNonExemptEncryption === null
                ? 'MISSING_EXPORT_COMPLIANCE'
                : 'READY_FOR_BETA_TESTING'
      detail.attributes.internalBuildState = state
      detail.attributes.externalBuildState =
        state === 'READY_FOR_BETA_TESTING' ? 'READY_FOR_BETA_SUBMISSION' : state
    }
    // Lists filtered or sorted by these attributes are built again.
    this.cache.clear()
  }

  setRevoked(keyId: string, revoked: boolean): void {
    const key = this.options.keys.get(keyId)
    if (!key) throw new Error(`Unknown key ${keyId}`)
    key.revoked = revoked
  }

  /** The key's requests in the rolling hour before `now` (older ones are dropped). */
  private hourOf(keyId: string, now: number): number[] {
    const times = (this.usage.get(keyId) ?? []).filter((time) => time > now - HOUR_MS)
    this.usage.set(keyId, times)
    return times
  }

  private rateLimitHeader(used: number): Record<string, string> {
    const remaining = Math.max(0, this.hourlyLimit - used)
    return { 'X-Rate-Limit': `user-hour-lim:${this.hourlyLimit};user-hour-rem:${remaining};` }
  }

  /** Requests counted against each key in the current rolling hour. */
  rateLimitUsage(): Record<string, number> {
    const now = this.options.now()
    const used: Record<string, number> = {}
    for (const [keyId, times] of this.usage) {
      used[keyId] = times.filter((time) => time > now - HOUR_MS).length
    }
    return used
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin)
    if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
      await this.admin(request, response, url)
      return
    }
    const method = request.method ?? 'GET'
    const claimedKeyId = TokenChecker.claimedKeyId(request.headers.authorization)
    const entry: RequestLogEntry = {
      at: new Date(this.options.now()).toISOString(),
      method,
      path: `${url.pathname}${url.search}`,
      keyId: claimedKeyId,
      keyType: TokenChecker.claimedKeyType(request.headers.authorization),
      status: 0,
      state: 'held',
    }
    this.log.push(entry)
    if (this.log.length > LOG_ENTRIES) this.log.splice(0, this.log.length - LOG_ENTRIES)
    this.logChanged()
    try {
      await this.serve(request, response, url, entry)
    } catch (error) {
      console.error('Apple sandbox: request failed', error)
      if (response.headersSent) response.destroy()
      else {
        entry.status = 500
        this.sendJson(response, unexpected(500), {})
      }
    }
    // A hang stays held until its connection closes; everything else is over by now.
    if (response.writableEnded) this.settle(entry, 'answered')
    else if (response.destroyed) this.settle(entry, 'dropped')
    else this.logChanged()
  }

  private async serve(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    entry: RequestLogEntry,
  ): Promise<void> {
    const { method, keyId: claimedKeyId } = entry
    const delay = this.faults.latency(claimedKeyId, url.pathname)
    if (delay > 0) await this.sleep(delay)
    // A client that gave up during the delay is gone: its request must not use up a later fault.
    if (request.socket.destroyed) {
      this.settle(entry, 'dropped')
      return
    }
    const fault = this.faults.take(NETWORK_FAULTS, claimedKeyId, url.pathname)
    if (fault) entry.fault = fault.kind
    if (fault?.kind === 'reset') {
      request.socket.destroy()
      this.settle(entry, 'dropped')
      return
    }
    if (fault?.kind === 'hang') {
      response.once('close', () => this.settle(entry, 'dropped'))
      if (fault.sendHeaders) {
        response.writeHead(200, { Date: this.date(), 'Content-Type': 'application/json' })
        response.flushHeaders()
      }
      return
    }
    if (fault?.kind === 'html') {
      const status = fault.status ?? 502
      const page = htmlPage(status)
      entry.status = status
      response.writeHead(status, {
        Date: this.date(),
        'Content-Type': 'text/html',
        'Content-Length': Buffer.byteLength(page),
      })
      response.end(page)
      return
    }
    const answer = await this.answer(request, method, url, entry)
    entry.status = answer.status
    this.sendJson(response, answer, answer.headers, fault?.kind === 'truncate')
  }

  private async answer(
    request: IncomingMessage,
    method: string,
    url: URL,
    entry: RequestLogEntry,
  ): Promise<Answer> {
    const now = this.options.now()
    const target = { method, pathname: url.pathname, query: url.searchParams }
    const checked = await this.checker.check(request.headers.authorization, target, now)
    const key = checked ? this.options.keys.get(checked.keyId) : undefined
    if (!key) {
      // The figures of the key the token names, if the sandbox has it; this request not counted.
      const named = entry.keyId === null ? undefined : this.options.keys.get(entry.keyId)
      if (!named) return { ...notAuthorized(), headers: {} }
      const used = (this.usage.get(named.keyId) ?? []).filter((time) => time > now - HOUR_MS)
      return { ...notAuthorized(), headers: this.rateLimitHeader(used.length) }
    }
    entry.keyId = key.keyId

    const times = this.hourOf(key.keyId, now)
    const limit = this.hourlyLimit
    if (times.length >= limit) {
      // A request may go once enough of the hour's requests have aged out to leave one free.
      const freeing = times[times.length - limit] ?? now
      const retryAfter = Math.max(1, Math.ceil((freeing + HOUR_MS - now) / 1000))
      return {
        ...rateLimited(),
        headers: {
          ...this.rateLimitHeader(times.length),
          ...(this.retryAfter ? { 'Retry-After': String(retryAfter) } : {}),
        },
      }
    }
    times.push(now)
    const headers = this.rateLimitHeader(times.length)
    const reply = (result: Reply) => ({ ...result, headers })

    const fault = this.faults.take(['error'], key.keyId, url.pathname)
    if (fault?.kind === 'error') {
      entry.fault = 'error'
      return reply(unexpected(fault.status ?? 500))
    }
    if (!key.agreementsSigned) return reply(agreementsMissing())
    const match = findOperation('GET', url.pathname)
    if (!match?.operation || !isServed(match)) return reply(pathNotFound(match !== null))
    if (!roleAllows(key.role, url.pathname)) return reply(forbiddenByRole())
    if (method !== 'GET') return reply(methodNotAllowed(method))
    const problem = checkQuery(match.operation, url.searchParams)[0]
    if (problem) return reply(parameterError(problem.code, problem.parameter, problem.detail))
    return reply(
      answerGet({
        store: this.options.store,
        scope: { teamId: key.issuerId, visibleApps: key.visibleAppIds },
        base: this.origin,
        url,
        match,
        cache: this.cache,
      }),
    )
  }

  private date(): string {
    return new Date(this.options.now()).toUTCString()
  }

  private sendJson(
    response: ServerResponse,
    reply: Reply,
    headers: Record<string, string>,
    truncate = false,
  ): void {
    const json = JSON.stringify(reply.body)
    const body = truncate ? json.slice(0, Math.floor(json.length / 2)) : json
    response.writeHead(reply.status, {
      ...headers,
      Date: this.date(),
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    })
    response.end(body)
  }

  private async admin(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const send = (status: number, body: unknown) => {
      const json = JSON.stringify(body)
      response.writeHead(status, {
        Date: this.date(),
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(json),
      })
      response.end(json)
    }
    const method = request.method ?? 'GET'
    const path = url.pathname.replace(/\/+$/, '')
    try {
      const route = `${method} ${path}`
      if (route === 'GET /__sandbox') return send(200, this.options.describe())
      if (path === '/__sandbox/faults') {
        if (method === 'GET') return send(200, this.faults.list())
        if (method === 'DELETE') {
          this.faults.clear()
          return send(200, [])
        }
        if (method === 'POST' || method === 'PUT') {
          const parsed = faultRulesSchema.parse(await readJson(request))
          const rules = Array.isArray(parsed) ? parsed : [parsed]
          if (method === 'PUT') this.faults.set(rules)
          else this.faults.add(rules)
          return send(200, this.faults.list())
        }
      }
      const revoke = /^\/__sandbox\/keys\/([^/]+)\/(revoke|unrevoke)$/.exec(path)
      if (revoke && method === 'POST') {
        const [, keyId = '', action] = revoke
        if (!this.options.keys.has(keyId)) return send(404, { error: `Unknown key ${keyId}` })
        this.setRevoked(keyId, action === 'revoke')
        return send(200, { keyId, revoked: action === 'revoke' })
      }
      if (path === '/__sandbox/rate-limit') {
        if (method === 'PUT') {
          const body = z
            .object({
              hourlyLimit: z.number().int().min(1).optional(),
              retryAfter: z.boolean().optional(),
            })
            .strict()
            .parse(await readJson(request))
          this.hourlyLimit = body.hourlyLimit ?? this.hourlyLimit
          this.retryAfter = body.retryAfter ?? this.retryAfter
        } else if (method === 'DELETE') this.resetRateLimits()
        if (['GET', 'PUT', 'DELETE'].includes(method)) {
          return send(200, {
            hourlyLimit: this.hourlyLimit,
            retryAfter: this.retryAfter,
            used: this.rateLimitUsage(),
          })
        }
      }
      if (path === '/__sandbox/requests') {
        if (method === 'GET') return send(200, this.requestLog())
        if (method === 'DELETE') {
          this.resetRequestLog()
          return send(200, [])
        }
      }
      return send(404, { error: `No admin endpoint ${route}` })
    } catch (error) {
      return send(400, { error: error instanceof Error ? error.message : String(error) })
    }
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > 1_000_000) throw new Error('Body too large')
    chunks.push(buffer)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
}
