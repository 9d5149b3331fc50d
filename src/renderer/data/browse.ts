/**
 * Browsing data for the screens: each list is asked of main (which answers from its cache first),
 * kept in a small in-memory copy here so a revisit paints in the same frame, refreshed quietly
 * when main says it is stale, and on ⌘R. An answer is only ever kept under the key it was asked
 * for, and only if it names the team it was asked for.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
import type {
  AppsActivityAnswer,
  AppsAnswer,
  BuildDetailAnswer,
  BuildsAnswer,
  Freshness,
  RefreshMode,
  TeamUsage,
} from '../../shared/contract'
import type { IpcError, Result } from '../../shared/result'
import { isBehind } from '../builds/model'
import { ascent } from './bridge'

export interface Step {
  refresh: RefreshMode
}

export interface Resource<A extends Freshness> {
  /** The latest answer for this key; its `problem` says whether the last load failed. */
  answer: A | undefined
  /** A request for this key is running (the first load, or a refresh). */
  busy: boolean
  /** Main could not answer at all (not an Apple failure: those come as `answer.problem`). */
  error: IpcError | null
  /** Asks Apple now (⌘R, the refresh button, Retry). */
  refresh: () => void
}

/** What is being added to a list: its next page, or all the rest. */
export type Paging = 'more' | 'all'

export interface BuildsResource extends Resource<BuildsAnswer> {
  /** A page (or the rest) is being loaded; the list shown is still whole up to its end. */
  paging: Paging | null
  /** The last page asked for added nothing: asking again is up to the user (Try Again). */
  stalled: boolean
  /** Adds the next page (one request); a page already on its way makes this do nothing. */
  more: () => void
  /** Loads every build still missing (the End key, a filter over the whole list). */
  all: () => void
}

/** Main canceled the request because another team was opened: nothing to show. */
const CANCELED = 'browse.canceled'
/** Quiet refreshes are offered this often; main's rate-limit policy decides what goes to Apple. */
const POLL_MS = 60_000
const REMEMBERED = 48

// The renderer's copy, most recently used last; the keys with a request running; the lists
// being paged in (the next page, or all the rest).
const memory = new Map<string, Freshness>()
const loading = new Set<string>()
const paging = new Map<string, Paging>()
/** Lists whose last page added nothing, with the length they stopped at. */
const stalledAt = new Map<string, number>()
const watchers = new Map<string, Set<() => void>>()
const everyChange = new Set<() => void>()

function remember(key: string, answer: Freshness): void {
  memory.delete(key)
  memory.set(key, answer)
  while (memory.size > REMEMBERED) {
    const oldest = memory.keys().next().value
    if (oldest === undefined) break
    memory.delete(oldest)
  }
  for (const watcher of watchers.get(key) ?? []) watcher()
  for (const watcher of everyChange) watcher()
}

function setLoading(key: string, running: boolean): void {
  if (running === loading.has(key)) return
  if (running) loading.add(key)
  else loading.delete(key)
  for (const watcher of watchers.get(key) ?? []) watcher()
  for (const watcher of everyChange) watcher()
}

function setPaging(key: string, mode: Paging | null): void {
  if ((paging.get(key) ?? null) === mode) return
  if (mode) paging.set(key, mode)
  else paging.delete(key)
  for (const watcher of watchers.get(key) ?? []) watcher()
}

function loadedLength(key: string): number {
  return (memory.get(key) as BuildsAnswer | undefined)?.builds?.length ?? 0
}

function setStalled(key: string, stalled: boolean): void {
  if (stalled) stalledAt.set(key, loadedLength(key))
  else if (!stalledAt.delete(key)) return
  for (const watcher of watchers.get(key) ?? []) watcher()
}

function watch(key: string, watcher: () => void): () => void {
  let set = watchers.get(key)
  if (!set) {
    set = new Set()
    watchers.set(key, set)
  }
  set.add(watcher)
  return () => set.delete(watcher)
}

/** Drops everything of a team that was removed. */
export function forgetTeam(teamId: string): void {
  for (const key of [...memory.keys()]) {
    if (key.startsWith(`${teamId}|`)) memory.delete(key)
  }
  for (const watcher of everyChange) watcher()
}

/** The team's needs-attention total, when its app activity has been seen this session. */
export function teamAttention(teamId: string): number | null {
  const answer = memory.get(`${teamId}|activity`) as AppsActivityAnswer | undefined
  if (!answer?.activity) return null
  return answer.activity.reduce((sum, item) => sum + item.attention.total, 0)
}

/** Re-renders on any change of the renderer's copy (for team-level counts). */
export function useBrowseMemory(): number {
  const version = useRef(0)
  return useSyncExternalStore(
    (notify) => {
      const onChange = () => {
        version.current += 1
        notify()
      }
      everyChange.add(onChange)
      return () => everyChange.delete(onChange)
    },
    () => version.current,
  )
}

interface Plan<A extends Freshness> {
  load: (step: Step) => Promise<Result<A>>
  /** What to ask next after `answer` (a quiet refresh), or nothing. */
  next: (answer: A, step: Step) => Step | null
  /** Whether the answer carries data; one without keeps the data shown, with its problem. */
  hasData: (answer: A) => boolean
  /** Whether the answer knows less than what is shown (a list since grown); kept like no data. */
  outdated?: (answer: A, shown: A) => boolean
  /** Whether the answer is for what was asked (the team is checked for every answer). */
  matches?: (answer: A) => boolean
  /** A list that fills in a screen already shown: asked for once that screen has painted. */
  secondary?: boolean
}

/** Keeps `value` under `key`, or only its problem when it would lose what is shown. */
function keep<A extends Freshness>(
  key: string,
  value: A,
  plan: Pick<Plan<A>, 'hasData' | 'outdated'>,
): void {
  const shown = memory.get(key) as A | undefined
  const lesser =
    shown && (plan.outdated?.(value, shown) || (!plan.hasData(value) && plan.hasData(shown)))
  remember(key, lesser ? { ...shown, problem: value.problem } : value)
}

/** Resolves once the frame showing what was just stored has painted. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
}

function nextAfter(answer: Freshness, step: Step): Step | null {
  return step.refresh === 'cached' && answer.stale && !answer.problem
    ? { refresh: 'background' }
    : null
}

/**
 * One list for one key (`<teamId>|…`): painted from the renderer's copy at once, then asked of
 * main; later answers replace it only while the key is still the one shown.
 */
function useResource<A extends Freshness>(
  key: string | null,
  teamId: string | null,
  plan: Plan<A>,
): Resource<A> {
  const planRef = useRef(plan)
  useLayoutEffect(() => {
    planRef.current = plan
  })
  // Kept with the key it is about, so a new key starts clean.
  const [failure, setFailure] = useState<{ key: string; error: IpcError } | null>(null)
  const [, setVersion] = useState(0)
  const run = useRef(0)
  const answer = key ? (memory.get(key) as A | undefined) : undefined

  const start = useCallback(
    (first: Step) => {
      if (!key || !teamId) return
      const token = ++run.current
      setLoading(key, true)
      void (async () => {
        if (planRef.current.secondary && first.refresh === 'cached') {
          await afterPaint()
          if (token !== run.current) return
        }
        let step: Step | null = first
        while (step) {
          const result = await planRef.current.load(step)
          if (token !== run.current) return
          if (!result.ok) {
            if (result.error.code !== CANCELED) setFailure({ key, error: result.error })
            break
          }
          const value = result.value
          // Never keep another team's answer, nor one for another item.
          if (value.teamId !== teamId || !(planRef.current.matches?.(value) ?? true)) break
          setFailure(null)
          keep(key, value, planRef.current)
          step = planRef.current.next(value, step)
          // A quiet refresh is asked for once this answer is on screen.
          if (step) await afterPaint()
          if (token !== run.current) return
        }
        if (token === run.current) setLoading(key, false)
      })()
    },
    [key, teamId],
  )

  useEffect(() => {
    if (!key) return
    const stop = watch(key, () => setVersion((value) => value + 1))
    start({ refresh: 'cached' })
    const poll = setInterval(() => {
      if (document.visibilityState === 'visible') start({ refresh: 'background' })
    }, POLL_MS)
    return () => {
      stop()
      clearInterval(poll)
      run.current += 1
      setLoading(key, false)
    }
  }, [key, start])

  const refresh = useCallback(() => start({ refresh: 'force' }), [start])
  return {
    answer,
    busy: key !== null && loading.has(key),
    error: key !== null && failure?.key === key ? failure.error : null,
    refresh,
  }
}

export function useApps(teamId: string): Resource<AppsAnswer> {
  return useResource(`${teamId}|apps`, teamId, {
    load: ({ refresh }) => ascent.apps.list({ teamId, refresh }),
    next: nextAfter,
    hasData: (answer) => answer.apps !== null,
  })
}

/** Asked once the apps are there, so the apps list paints after one request. */
export function useActivity(teamId: string, ready: boolean): Resource<AppsActivityAnswer> {
  return useResource(ready ? `${teamId}|activity` : null, teamId, {
    load: ({ refresh }) => ascent.apps.activity({ teamId, refresh }),
    next: nextAfter,
    hasData: (answer) => answer.activity !== null,
    secondary: true,
  })
}

const buildsPlan: Pick<Plan<BuildsAnswer>, 'hasData' | 'outdated'> = {
  hasData: (answer) => answer.builds !== null,
  outdated: isBehind,
}

/**
 * An app's builds: the first screen with one request, then a page at a time as the table asks
 * (`more`), or all of them at once (`all`: a filter, the End key). A quiet refresh or ⌘R asks
 * for the newest page only.
 */
export function useBuilds(teamId: string, appId: string | null): BuildsResource {
  const key = appId ? `${teamId}|builds|${appId}` : null
  const resource = useResource(key, teamId, {
    load: ({ refresh }) =>
      ascent.builds.list({ teamId, appId: appId ?? '', refresh, until: 'first' }),
    next: nextAfter,
    ...buildsPlan,
    matches: (answer) => answer.appId === appId,
  })
  const shownKey = useRef(key)
  useLayoutEffect(() => {
    shownKey.current = key
  })
  // A page's failure, with the answer it failed to add to: any later answer (a Retry, a refresh)
  // supersedes it.
  const [failure, setFailure] = useState<{
    key: string
    error: IpcError
    answer: BuildsAnswer | undefined
  } | null>(null)

  const page = useCallback(
    (mode: Paging) => {
      if (!key || !appId) return
      const running = paging.get(key)
      if (running === 'all' || running === mode) return
      setPaging(key, mode)
      setStalled(key, false)
      const before = loadedLength(key)
      const until = mode === 'all' ? 'complete' : 'more'
      void ascent.builds
        .list({ teamId, appId, refresh: 'cached', until })
        .then((result) => {
          if (shownKey.current !== key) return
          if (!result.ok) {
            if (result.error.code !== CANCELED) {
              setFailure({ key, error: result.error, answer: memory.get(key) as BuildsAnswer })
            }
            return
          }
          const value = result.value
          if (value.teamId !== teamId || value.appId !== appId) return
          setFailure(null)
          keep(key, value, buildsPlan)
          const shown = memory.get(key) as BuildsAnswer | undefined
          if (shown && !shown.complete && loadedLength(key) <= before) setStalled(key, true)
        })
        .finally(() => {
          if (paging.get(key) === mode) setPaging(key, null)
        })
    },
    [key, teamId, appId],
  )
  const more = useCallback(() => page('more'), [page])
  const all = useCallback(() => page('all'), [page])
  return {
    ...resource,
    error:
      resource.error ??
      (key !== null && failure?.key === key && failure.answer === resource.answer
        ? failure.error
        : null),
    paging: key ? (paging.get(key) ?? null) : null,
    stalled: key !== null && stalledAt.get(key) === loadedLength(key),
    more,
    all,
  }
}

export function useBuildDetail(
  teamId: string,
  buildId: string | null,
): Resource<BuildDetailAnswer> {
  return useResource(buildId ? `${teamId}|build|${buildId}` : null, teamId, {
    load: ({ refresh }) => ascent.builds.detail({ teamId, buildId: buildId ?? '', refresh }),
    next: nextAfter,
    hasData: (answer) => answer.detail !== null,
    matches: (answer) => answer.buildId === buildId,
  })
}

/** The key's rate-limit figures, read again after every answer and now and then. */
export function useUsage(teamId: string): TeamUsage | null {
  const [usage, setUsage] = useState<TeamUsage | null>(null)
  const changes = useBrowseMemory()
  useEffect(() => {
    let current = true
    const read = () =>
      void ascent.teams.usage({ teamId }).then((result) => {
        if (current && result.ok && result.value.teamId === teamId) setUsage(result.value)
      })
    read()
    const timer = setInterval(read, 15_000)
    return () => {
      current = false
      clearInterval(timer)
    }
  }, [teamId, changes])
  return usage?.teamId === teamId ? usage : null
}
