import { setMaxListeners } from 'node:events'
import { z } from 'zod'
import type { Logger } from '../log'
import { silentLogger } from '../log'
import type { SigningIdentity, TokenSigner } from '../tokens'
import type { AppSummary, BuildDetail, BuildRow, ResponseContext } from './domain'
import { Included, newestFirst, parseBody, toAppSummary, toBuildDetail, toBuildRow } from './domain'
import type { AscRequest } from './requests'
import { PAGE_LIMIT, requests, requestTarget } from './requests'
import type { RetryPolicy } from './retry'
import { DEFAULT_RETRY_POLICY } from './retry'
import {
  appSchema,
  betaGroupSchema,
  buildSchema,
  collectionDocument,
  instanceDocument,
  preReleaseVersionSchema,
  userSchema,
} from './schemas'
import { requestScope } from './scope'
import type {
  CallOptions,
  JsonResponse,
  KeyUsage,
  RequestCounts,
  Sleep,
  Transport,
} from './transport'
import { createTransport, sleepWithSignal } from './transport'

export interface AscClientOptions {
  /** The platform's fetch. */
  fetch: typeof globalThis.fetch
  /** `https://api.appstoreconnect.apple.com`, or the sandbox's URL in the demo and tests. */
  baseUrl: string
  tokens: Pick<TokenSigner, 'token' | 'invalidate' | 'recordServerDate' | 'clockOffsetSeconds'>
  /** Milliseconds since the epoch, for the clock offset. Defaults to `Date.now`. */
  now?: () => number
  /** Per try, from sending the request to the last byte of the answer. Default 20 s. */
  timeoutMs?: number
  /** Requests of one key in flight at once. Default 4. */
  concurrency?: number
  retry?: Partial<RetryPolicy>
  /** Waits between retries; tests pass a fast one. */
  sleep?: Sleep
  /** In [0, 1), for back-off jitter. */
  random?: () => number
  log?: Logger
  /** Resources per page, 1–200. Apple's maximum (200) unless a test wants many pages. */
  pageLimit?: number
}

const DEFAULT_TIMEOUT_MS = 20_000
const DEFAULT_CONCURRENCY = 4
/** Pre-release version IDs per request when loading all builds: keeps URLs short. */
const MAX_VERSIONS_PER_REQUEST = 40
/** Scope text per token when loading all builds with a scope: the JWT rides in a header. */
const MAX_SCOPE_CHARS = 4_000

export interface BuildPage {
  builds: BuildRow[]
  /** How many builds the app has, as Apple counts them; null if Apple did not say. */
  total: number | null
  hasMore: boolean
  /**
   * The next page: Apple's `links.next` exactly as written, checked to stay on the API's origin
   * (see `listBuildsAfter`); null on the last page.
   */
  next: URL | null
}

export interface ProbeResult {
  /** The request that succeeded, `GET /v1/apps?limit=1`. */
  request: string
  /** How many resources the key can see there, when Apple says. */
  total: number | null
}

/** A collection read to its end: the resources, mapped, and Apple's count of them. */
export interface Collection<R> {
  items: R[]
  /** How many resources Apple says there are; null when it did not say. */
  total: number | null
}

/** Everything the screens and the key check read, for one key. */
export interface AscKeyClient {
  /**
   * Every page of a collection request (following `links.next` as Apple wrote it), each resource
   * read with `schema` and mapped: how a resource declared outside this module reads Apple.
   */
  collection<S extends z.ZodType, R>(
    request: AscRequest,
    schema: S,
    map: (item: z.infer<S>, included: Included) => R,
    options?: CallOptions,
  ): Promise<Collection<R>>
  /**
   * One page of a collection request, or of the `next` an earlier page gave: one request, for a
   * caller that wants the newest few and not the whole collection.
   */
  page<S extends z.ZodType, R>(
    request: AscRequest | URL,
    schema: S,
    map: (item: z.infer<S>, included: Included) => R,
    options?: CallOptions,
  ): Promise<Collection<R> & { next: URL | null }>
  /** One resource (`GET /v1/{type}/{id}`), read with `schema` and mapped. */
  instance<S extends z.ZodType, R>(
    request: AscRequest,
    schema: S,
    map: (item: z.infer<S>, included: Included) => R,
    options?: CallOptions,
  ): Promise<R>
  /** Every app of the team (one request up to 200 apps), sorted by name. */
  listApps(options?: CallOptions): Promise<AppSummary[]>
  /**
   * One page of the team's apps, sorted by name: the first (`next` null), or the one at a
   * `next` an earlier page gave. One request.
   */
  appsPage(
    next: URL | null,
    options?: CallOptions,
  ): Promise<{ apps: AppSummary[]; next: URL | null }>
  getApp(appId: string, options?: CallOptions): Promise<AppSummary>
  /** The newest builds of an app (the first screen): one request. */
  listBuilds(appId: string, options?: CallOptions & { limit?: number }): Promise<BuildPage>
  /**
   * The page of builds at `next` (a `BuildPage.next`, kept as the user scrolls): one request. A
   * URL off the API's origin is refused before anything is sent.
   */
  listBuildsAfter(next: URL, options?: CallOptions): Promise<BuildPage>
  /** Every build of an app that has not expired, newest first (all pages). */
  listCurrentBuilds(appId: string, options?: CallOptions): Promise<BuildRow[]>
  /**
   * Every build of an app, newest first, each once. Lists the app's pre-release versions with
   * their build counts, then loads the builds of groups of versions side by side.
   */
  listAllBuilds(appId: string, options?: CallOptions): Promise<BuildRow[]>
  /** One build with its pre-release version, beta detail and App Store version. */
  getBuild(buildId: string, options?: CallOptions): Promise<BuildDetail>
  /** `GET /v1/apps?limit=1`: any working key may do this. */
  probeApps(options?: CallOptions): Promise<ProbeResult>
  /** `GET /v1/betaGroups?limit=1`: TestFlight access. */
  probeTestFlight(options?: CallOptions): Promise<ProbeResult>
  /** `GET /v1/users?limit=1`: Admin keys only. */
  probeUsers(options?: CallOptions): Promise<ProbeResult>
}

export interface AscClient {
  forKey(identity: SigningIdentity): AscKeyClient
  /** The key's latest rate-limit figures and clock offset, for the UI's meter and the diagnosis. */
  usage(identity: SigningIdentity): KeyUsage
  /** Requests sent for the key this session (tests and the bench). */
  counts(identity: SigningIdentity): RequestCounts
}

export function createAscClient(options: AscClientOptions): AscClient {
  const transport = createTransport({
    fetch: options.fetch,
    baseUrl: options.baseUrl,
    tokens: options.tokens,
    now: options.now ?? Date.now,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? sleepWithSignal,
    random: options.random ?? Math.random,
    log: options.log ?? silentLogger,
  })
  const base = options.baseUrl.replace(/\/+$/, '')
  const settings: KeyClientSettings = {
    base,
    parallel: options.concurrency ?? DEFAULT_CONCURRENCY,
    pageLimit: Math.min(PAGE_LIMIT, Math.max(1, Math.floor(options.pageLimit ?? PAGE_LIMIT))),
  }
  return {
    forKey: (identity) => keyClient(transport, settings, identity),
    usage: (identity) => transport.usage(identity),
    counts: (identity) => transport.counts(identity),
  }
}

function contextOf(response: JsonResponse): ResponseContext {
  return { request: response.request, status: response.status }
}

interface KeyClientSettings {
  base: string
  parallel: number
  pageLimit: number
}

function keyClient(
  transport: Transport,
  settings: KeyClientSettings,
  identity: SigningIdentity,
): AscKeyClient {
  const { base, parallel, pageLimit } = settings
  const urlOf = (request: AscRequest) => new URL(`${base}${requestTarget(request)}`)

  async function fetchInstance<S extends z.ZodType>(
    request: AscRequest,
    resource: S,
    call: CallOptions,
  ) {
    const response = await transport.get(identity, urlOf(request), call)
    const context = contextOf(response)
    const document = parseBody(instanceDocument, response.body, context)
    const data: z.infer<S> = parseBody(resource, document.data, context, 'data')
    return { data, included: new Included(document.included, context) }
  }

  /**
   * Pages of one collection, following `links.next` exactly as Apple wrote it. `maxPages`
   * stops early (for a first screen).
   */
  async function fetchPages<S extends z.ZodType, R>(
    first: URL,
    resource: S,
    map: (item: z.infer<S>, included: Included) => R,
    call: CallOptions,
    maxPages = Infinity,
  ): Promise<{ items: R[]; total: number | null; next: URL | null }> {
    const page = z.array(resource)
    const items: R[] = []
    let url: URL | null = first
    let total: number | null = null
    let pages = 0
    while (url && pages < maxPages) {
      const response = await transport.get(identity, url, call)
      const context = contextOf(response)
      const document = parseBody(collectionDocument, response.body, context)
      const data: z.infer<S>[] = parseBody(page, document.data, context, 'data')
      const included = new Included(document.included, context)
      for (const item of data) items.push(map(item, included))
      total ??= document.meta?.paging.total ?? null
      pages += 1
      url = document.links.next ? transport.nextUrl(document.links.next, response) : null
    }
    return { items, total, next: url }
  }

  async function buildPage(first: URL, call: CallOptions): Promise<BuildPage> {
    const page = await fetchPages(first, buildSchema, toBuildRow, call, 1)
    return { builds: page.items, total: page.total, hasMore: page.next !== null, next: page.next }
  }

  /** Every page of a collection, mapped. */
  async function fetchAll<S extends z.ZodType, R>(
    request: AscRequest,
    resource: S,
    map: (item: z.infer<S>, included: Included) => R,
    call: CallOptions,
  ): Promise<R[]> {
    return (await fetchPages(urlOf(request), resource, map, call)).items
  }

  async function probe(request: AscRequest, resource: z.ZodType, call: CallOptions = {}) {
    const page = await fetchPages(urlOf(request), resource, () => null, call, 1)
    return { request: `GET ${requestTarget(request)}`, total: page.total }
  }

  async function listAllBuilds(appId: string, call: CallOptions = {}): Promise<BuildRow[]> {
    const versions = await fetchPages(
      urlOf(requests.preReleaseVersions(appId, pageLimit)),
      preReleaseVersionSchema,
      (version) => ({
        id: version.id,
        builds: version.relationships?.builds?.meta?.paging.total ?? null,
      }),
      call,
    )
    const groups = groupVersions(versions.items, parallel, pageLimit)
    if (groups.length === 0) return []
    const batches = groups.map((ids) => requests.buildsOfVersions(appId, ids, pageLimit))
    // A scoped caller gets scoped parts: their requests are known only now, so they share a few
    // tokens, each small enough for a request header.
    const scopes = call.scope ? requestScopeChunks(batches) : null
    // The first failure stops the other parts: their answers would be thrown away.
    const stop = new AbortController()
    // Every part waits on this one signal: more listeners than Node's default warning level.
    setMaxListeners(groups.length * 2 + 10, stop.signal)
    const forward = () => stop.abort()
    call.signal?.addEventListener('abort', forward, { once: true })
    if (call.signal?.aborted) stop.abort()
    try {
      const parts = await Promise.all(
        batches.map((request, index) =>
          fetchPages(urlOf(request), buildSchema, toBuildRow, {
            signal: stop.signal,
            scope: scopes?.[index],
          }).catch((error: unknown) => {
            stop.abort()
            throw error
          }),
        ),
      )
      const unique = new Map<string, BuildRow>()
      for (const part of parts) for (const build of part.items) unique.set(build.id, build)
      return [...unique.values()].sort(newestFirst)
    } finally {
      call.signal?.removeEventListener('abort', forward)
    }
  }

  return {
    async collection(request, schema, map, call = {}) {
      const { items, total } = await fetchPages(urlOf(request), schema, map, call)
      return { items, total }
    },
    page: (request, schema, map, call = {}) =>
      fetchPages(request instanceof URL ? request : urlOf(request), schema, map, call, 1),
    async instance(request, schema, map, call = {}) {
      const { data, included } = await fetchInstance(request, schema, call)
      return map(data, included)
    },
    listApps: (call = {}) => fetchAll(requests.apps(pageLimit), appSchema, toAppSummary, call),
    async appsPage(next, call = {}) {
      const first = next ? new URL(next) : urlOf(requests.apps(pageLimit))
      const page = await fetchPages(first, appSchema, toAppSummary, call, 1)
      return { apps: page.items, next: page.next }
    },
    async getApp(appId, call = {}) {
      const { data, included } = await fetchInstance(requests.app(appId), appSchema, call)
      return toAppSummary(data, included)
    },
    listBuilds(appId, call = {}) {
      const limit = Math.min(PAGE_LIMIT, Math.max(1, Math.floor(call.limit ?? pageLimit)))
      return buildPage(urlOf(requests.builds(appId, limit)), call)
    },
    listBuildsAfter: (next, call = {}) => buildPage(new URL(next), call),
    listCurrentBuilds: (appId, call = {}) =>
      fetchAll(requests.currentBuilds(appId, pageLimit), buildSchema, toBuildRow, call),
    listAllBuilds,
    async getBuild(buildId, call = {}) {
      const { data, included } = await fetchInstance(requests.build(buildId), buildSchema, call)
      return toBuildDetail(data, included)
    },
    probeApps: (call) =>
      probe(requests.probeApps(), appSchema.pick({ type: true, id: true }), call),
    probeTestFlight: (call) =>
      probe(requests.probeTestFlight(), betaGroupSchema.pick({ type: true, id: true }), call),
    probeUsers: (call) => probe(requests.probeUsers(), userSchema, call),
  }
}

/**
 * Scope entries split into the scopes of a few tokens, in order, each at most ~4 kB of entries
 * (the token rides in a request header); an entry longer than that gets a token of its own.
 */
export function scopeChunks(entries: readonly string[]): string[][] {
  const chunks: string[][] = []
  let current: string[] = []
  let size = 0
  for (const entry of entries) {
    if (current.length > 0 && size + entry.length > MAX_SCOPE_CHARS) {
      current = []
      size = 0
    }
    if (current.length === 0) chunks.push(current)
    current.push(entry)
    size += entry.length
  }
  return chunks
}

/** Scope lists for requests, one per request, shared by neighbours up to a token of ~4 kB. */
function requestScopeChunks(batch: readonly AscRequest[]): string[][] {
  const entries = batch.map((request) => requestScope(request.method, requestTarget(request)))
  return scopeChunks(entries).flatMap((chunk) => chunk.map(() => chunk))
}

/**
 * Splits an app's pre-release versions into groups whose builds fit one page each, biggest
 * first (first-fit decreasing), so the groups load side by side in about total / 200 requests.
 * Versions Apple gave no count for are spread over `parallel` groups of their own; each group
 * still follows its cursor, so a wrong count costs time, never builds.
 */
export function groupVersions(
  versions: readonly { id: string; builds: number | null }[],
  parallel: number,
  capacity = PAGE_LIMIT,
): string[][] {
  const counted = versions
    .filter((version): version is { id: string; builds: number } => version.builds !== null)
    .filter((version) => version.builds > 0)
    .sort((a, b) => b.builds - a.builds)
  const bins: { ids: string[]; size: number }[] = []
  for (const version of counted) {
    const bin = bins.find(
      (candidate) =>
        candidate.size + version.builds <= capacity &&
        candidate.ids.length < MAX_VERSIONS_PER_REQUEST,
    )
    if (bin) {
      bin.ids.push(version.id)
      bin.size += version.builds
    } else {
      bins.push({ ids: [version.id], size: version.builds })
    }
  }
  const uncounted = versions
    .filter((version) => version.builds === null)
    .map((version) => version.id)
  const groupCount = Math.max(
    Math.min(parallel, uncounted.length),
    Math.ceil(uncounted.length / MAX_VERSIONS_PER_REQUEST),
  )
  const spread: string[][] = Array.from({ length: groupCount }, () => [])
  uncounted.forEach((id, index) => spread[index % groupCount]?.push(id))
  return [...bins.map((bin) => bin.ids), ...spread]
}
