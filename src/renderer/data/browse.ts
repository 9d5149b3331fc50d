/**
 * What the screens browse, through TanStack Query over `browse:read`: each hook is one resource
 * of one team. Main answers from its cache at once (and starts a due refresh), or from Apple; its
 * `browse:changed` makes the queries showing that data read it again (./client.ts).
 */
import {
  focusManager,
  useInfiniteQuery,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import type {
  BuildRow,
  ParamsInputOf,
  ResourceAnswer,
  ResourceName,
  TeamUsage,
  ValueOf,
} from '../../shared/contract'
import { problemOfDiagnosis, problemOfError, type Problem } from '../diagnosis/problem'
import { ascent } from './bridge'
import { browseKey, teamBrowseKey, usageKey } from './queryKeys'
import { useTeamRadar } from './radar'

/** A read that gave nothing to show: main's error, or Apple's diagnosis with no data at hand. */
export class ReadFailure extends Error {
  constructor(
    readonly problem: Problem,
    /** Another team or app was opened meanwhile: nothing to show, nothing to say. */
    readonly canceled = false,
  ) {
    super(problem.title)
    this.name = 'ReadFailure'
  }
}

/** The problem an answer carries: Apple's diagnosis, or main's own error. */
function problemOfAnswer(answer: ResourceAnswer | undefined): Problem | null {
  if (answer?.problem) return problemOfDiagnosis(answer.problem)
  return answer?.error ? problemOfError(answer.error) : null
}

/** The problem a failed query shows; none for a canceled read. */
function problemOfFailure(error: unknown): Problem | null {
  if (error instanceof ReadFailure) return error.canceled ? null : error.problem
  if (!error) return null
  const message = error instanceof Error ? error.message : 'Something went wrong inside Ascent.'
  return problemOfError({ code: 'internal', message })
}

const CANCELED: Problem = {
  code: 'browse.canceled',
  title: 'Canceled',
  detail: 'The screen that asked for this was closed.',
  hints: [],
  facts: null,
}

/** Resolves once the frame showing what was just rendered has painted. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
}

/** Reads asked again when main canceled them while their screen is still up. */
const CROSSED_READS = 2

async function read<R extends ResourceName>(
  client: QueryClient,
  teamId: string,
  resource: R,
  params: ParamsInputOf<R>,
  signal: AbortSignal,
): Promise<ResourceAnswer<R>> {
  let result = await ascent.browse.read({ teamId, resource, params } as never)
  // Main cancels a read when another team's (or app's) read comes after it. A screen still up
  // asks again: its read crossed a late one of the screen left behind.
  for (let again = 0; again < CROSSED_READS && !signal.aborted; again++) {
    if (result.ok || result.error.code !== 'browse.canceled') break
    result = await ascent.browse.read({ teamId, resource, params } as never)
  }
  if (!result.ok) {
    throw new ReadFailure(problemOfError(result.error), result.error.code === 'browse.canceled')
  }
  const answer = result.value as ResourceAnswer<R>
  // A request went to Apple: the key's rate-limit figures moved.
  if (!answer.fromCache) void client.invalidateQueries({ queryKey: usageKey(teamId) })
  const problem = answer.value === null ? problemOfAnswer(answer) : null
  if (problem) throw new ReadFailure(problem)
  return answer
}

/** Asks main to refresh the data now; the queries showing it read it again when it lands. */
async function refreshNow(
  client: QueryClient,
  teamId: string,
  resource: ResourceName,
  params: object,
  queryKey: QueryKey,
): Promise<void> {
  await ascent.browse.refresh({ teamId, resource, params } as never)
  // Read at once: the answer says the refresh is on its way.
  await client.invalidateQueries({ queryKey })
}

/**
 * Asks for a team's apps before its screen is up: at launch, as soon as the teams are known, the
 * team that opens first has its list on the way while the window is still being built.
 */
export function prefetchApps(client: QueryClient, teamId: string): void {
  void client.prefetchQuery({
    queryKey: browseKey(teamId, 'apps', {}),
    queryFn: ({ signal }) => read(client, teamId, 'apps', {}, signal),
  })
}

export interface Resource<R extends ResourceName> {
  /** Null while the first answer is awaited, or when nothing could be loaded. */
  value: ValueOf<R> | null
  /** When the value came from Apple. */
  fetchedAt: number | null
  /** Nothing to show yet, and nothing wrong: the first answer is on its way. */
  loading: boolean
  /** A refresh of what is shown is on its way. */
  refreshing: boolean
  /** Why the data is missing, or could not be refreshed (the value shown is the last one). */
  problem: Problem | null
  /** Asks Apple now (⌘R, Retry). */
  refresh: () => void
}

export interface ResourceOptions {
  /** False: ask nothing yet. */
  enabled?: boolean
  /** A list that fills in a screen already shown: asked for once that screen has painted. */
  afterPaint?: boolean
}

/** One resource of a team: `useResource(teamId, 'build', { buildId })`. */
export function useResource<R extends ResourceName>(
  teamId: string,
  resource: R,
  params: ParamsInputOf<R>,
  options: ResourceOptions = {},
): Resource<R> {
  const client = useQueryClient()
  const queryKey = browseKey(teamId, resource, params)
  const query = useQuery({
    queryKey,
    // The signal aborts when the screen goes: a read not sent yet is dropped, not sent late for a
    // team or app the user has left (which would cancel what is on screen now).
    queryFn: async ({ client: queryClient, signal }) => {
      if (options.afterPaint && queryClient.getQueryData(queryKey) === undefined) await afterPaint()
      if (signal.aborted) throw new ReadFailure(CANCELED, true)
      return read(queryClient, teamId, resource, params, signal)
    },
    enabled: options.enabled ?? true,
  })
  const answer = query.data
  const problem = problemOfAnswer(answer) ?? problemOfFailure(query.error)
  const paramsText = JSON.stringify(params)
  const refresh = useCallback(
    () => void refreshNow(client, teamId, resource, JSON.parse(paramsText) as object, queryKey),
    // queryKey is made of these.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, teamId, resource, paramsText],
  )
  return {
    value: answer?.value ?? null,
    fetchedAt: answer?.fetchedAt ?? null,
    loading: answer === undefined && problem === null && (options.enabled ?? true),
    refreshing: answer?.refreshing ?? false,
    problem,
    refresh,
  }
}

export interface Builds {
  /** Newest first, each once; null while the first page is awaited or could not be loaded. */
  builds: BuildRow[] | null
  /** How many builds the app has, as Apple counts them. */
  total: number | null
  /** Every build of the app is loaded. */
  complete: boolean
  fetchedAt: number | null
  refreshing: boolean
  /** What is being added: the next page, or all the rest. */
  paging: 'more' | 'all' | null
  /** The last page added nothing: asking again is up to the user (Try Again). */
  stalled: boolean
  /** Why the list is missing or could not be refreshed. */
  problem: Problem | null
  /** Why the last page could not be added. */
  pageProblem: Problem | null
  /** Adds the next page (one request), once per length of the list. */
  more: () => void
  /** Loads every build still missing (a filter, the End key). */
  all: () => void
  /** Asks for the page that failed or added nothing again. */
  retryPage: () => void
  refresh: () => void
}

/**
 * An app's builds: the first page in one request, then a page at a time as the table asks
 * (`more`), or all of the rest at once (`all`). Main keeps Apple's cursors; the pages here are
 * stretches of main's list, so a refresh reads them again from the first.
 */
export function useBuilds(teamId: string, appId: string, enabled = true): Builds {
  const client = useQueryClient()
  // Read by getNextPageParam when a page is asked for, never while rendering.
  const wantsAll = useRef(false)
  const [allAsked, setAllAsked] = useState(false)
  const askedAt = useRef<number | null>(null)
  const queryKey = browseKey(teamId, 'builds', { appId })
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, client: queryClient, signal }) =>
      read(queryClient, teamId, 'builds', { appId, ...pageParam }, signal),
    initialPageParam: { from: 0, rest: false },
    getNextPageParam: (last) => {
      const page = last.value
      if (!page || page.next === null) return undefined
      // Once main holds every build, the rest costs no request: take it in one answer.
      return { from: page.next, rest: page.complete || wantsAll.current }
    },
    enabled,
  })
  const { data, fetchNextPage, hasNextPage, isFetchingNextPage, isFetchNextPageError } = query
  const pages = data?.pages
  const builds = useMemo(() => {
    if (!pages) return null
    // Pages read while main's list moved on can overlap until the refetch lands: each build once.
    const seen = new Set<string>()
    return pages.flatMap((answer) =>
      (answer.value?.builds ?? []).filter((build) => !seen.has(build.id) && seen.add(build.id)),
    )
  }, [pages])
  const first = pages?.[0]
  const last = pages?.at(-1)?.value ?? null
  const stalled = last !== null && last.builds.length === 0 && last.next !== null && !!pages?.[1]

  const more = useCallback(() => {
    const length = builds?.length ?? 0
    if (!hasNextPage || isFetchingNextPage || isFetchNextPageError || stalled) return
    if (askedAt.current === length) return
    askedAt.current = length
    void fetchNextPage()
  }, [builds, hasNextPage, isFetchingNextPage, isFetchNextPageError, stalled, fetchNextPage])

  const all = useCallback(() => {
    if (!hasNextPage || (isFetchingNextPage && wantsAll.current)) return
    wantsAll.current = true
    setAllAsked(true)
    // A page on its way is superseded: all of the rest is asked for instead.
    void fetchNextPage({ cancelRefetch: true })
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  const retryPage = useCallback(() => void fetchNextPage({ cancelRefetch: true }), [fetchNextPage])

  const refresh = useCallback(
    () => void refreshNow(client, teamId, 'builds', { appId }, queryKey),
    // queryKey is made of these.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, teamId, appId],
  )

  return {
    builds,
    total: last?.total ?? null,
    complete: last !== null && last.next === null,
    fetchedAt: first?.fetchedAt ?? null,
    refreshing: first?.refreshing ?? false,
    paging: isFetchingNextPage ? (allAsked ? 'all' : 'more') : null,
    stalled,
    problem:
      problemOfAnswer(first) ?? (isFetchNextPageError ? null : problemOfFailure(query.error)),
    pageProblem: isFetchNextPageError && !isFetchingNextPage ? problemOfFailure(query.error) : null,
    more,
    all,
    retryPage,
    refresh,
  }
}

/** How often a team's screens read what they show again, so main can start a due refresh. */
export const POLL_MS = 60_000

/**
 * Reads everything of the team on screen again every minute: main decides whether that is the
 * moment to ask Apple (its refresh policy), and says so through `browse:changed`. One timer for
 * the team, whatever the number of components showing its data; nothing while the window is
 * hidden (TanStack's focus follows the page's visibility, and a shown window reads what went
 * stale at once).
 */
export function useTeamPoll(teamId: string): void {
  const client = useQueryClient()
  useEffect(() => {
    const timer = setInterval(() => {
      if (!focusManager.isFocused()) return
      void client.invalidateQueries({ queryKey: teamBrowseKey(teamId), refetchType: 'active' })
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [client, teamId])
}

/** The key's rate-limit figures, read again after each request to Apple and now and then. */
export function useUsage(teamId: string): TeamUsage | null {
  const query = useQuery({
    queryKey: usageKey(teamId),
    queryFn: async () => {
      const result = await ascent.teams.usage({ teamId })
      if (!result.ok) throw new ReadFailure(problemOfError(result.error))
      return result.value
    },
    staleTime: 0,
    refetchInterval: 15_000,
  })
  return query.data ?? null
}

/**
 * A value derived from what the renderer holds of a team's browsing, without asking for anything:
 * it follows TanStack's cache as queries land.
 */
function useTeamCache<T>(teamId: string, derive: (client: QueryClient) => T): T {
  const client = useQueryClient()
  const subscribe = useCallback(
    (notify: () => void) => client.getQueryCache().subscribe(notify),
    [client],
  )
  return useSyncExternalStore(subscribe, () => derive(client))
}

/**
 * The team's needs-attention total: from its app activity when a screen has read it, else as
 * main's radar last counted it (from disk at launch, before anything is asked of Apple).
 */
export function useTeamAttention(teamId: string): number | null {
  const onScreen = useTeamCache(teamId, (client) => {
    const answer = client.getQueryData<ResourceAnswer<'activity'>>(browseKey(teamId, 'activity'))
    return answer?.value?.reduce((sum, item) => sum + item.attention.total, 0) ?? null
  })
  const radar = useTeamRadar(teamId)
  return onScreen ?? radar?.attention ?? null
}

export interface TeamActivity {
  /** Something on screen is loading, or being refreshed. */
  busy: boolean
  /** Something on screen could not be loaded or refreshed. */
  failed: boolean
}

/** Whether the team's screens are loading or refreshing anything, and whether any of it failed. */
export function useTeamActivity(teamId: string): TeamActivity {
  const bits = useTeamCache(teamId, (client) => {
    let busy = false
    let failed = false
    for (const query of client.getQueryCache().findAll({
      queryKey: teamBrowseKey(teamId),
      type: 'active',
    })) {
      const { data, error, fetchStatus } = query.state
      const answers = (
        data && typeof data === 'object' && 'pages' in data ? data.pages : [data]
      ) as (ResourceAnswer | undefined)[]
      if (data === undefined && fetchStatus === 'fetching') busy = true
      if (answers.some((answer) => answer?.refreshing)) busy = true
      if (answers.some((answer) => answer?.problem || answer?.error)) failed = true
      if (problemOfFailure(error)) failed = true
    }
    return (busy ? 1 : 0) | (failed ? 2 : 0)
  })
  return { busy: (bits & 1) !== 0, failed: (bits & 2) !== 0 }
}

/** ⌘R: everything of the team on screen is refreshed from Apple. */
export function useRefreshTeam(teamId: string): () => void {
  const client = useQueryClient()
  return useCallback(() => {
    const shown = client
      .getQueryCache()
      .findAll({ queryKey: teamBrowseKey(teamId), type: 'active' })
    for (const query of shown) {
      const [, , resource, params] = query.queryKey as [string, string, ResourceName, object]
      void refreshNow(client, teamId, resource, params, query.queryKey)
    }
  }, [client, teamId])
}
