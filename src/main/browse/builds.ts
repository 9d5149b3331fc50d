/**
 * The resources of an app's builds screen: its builds, a page at a time or all of them, and one
 * build's details for the inspector.
 */
import { z } from 'zod'
import type {
  BuildRow,
  BuildsPage,
  BuildTestFlight,
  TestFlightGroup,
} from '../../shared/contract/builds'
import { betaGroupSchema, get, PAGE_LIMIT, requests, toMany } from '../asc'
import { defineResource, type LoadContext } from './resource'
import { appendPage, mergeNewest, toBuildDetail, toBuildRow } from './rows'

/** Rows per page of an answer: Apple's page, so a page asked for is one request. */
export const PAGE_ROWS = 200
/**
 * Builds of an app the cache on disk keeps: its first five pages, what a relaunch shows without
 * asking Apple. A list goes to disk without its cursor (Apple's cursors are opaque and need not
 * outlive the session: the page after those kept is found again from the newest builds), and a
 * list loaded past five pages (End, a filter) is cut there. An app with 100,000 builds costs
 * ~400 KB on disk, not 40 MB.
 */
export const PERSISTED_BUILD_ROWS = 5 * PAGE_ROWS

/** An app's builds as main keeps them: every screen's pages are views of this one list. */
export interface StoredBuilds {
  /** Newest first, each once. */
  rows: BuildRow[]
  total: number | null
  /** Every build of the app, or only the newest ones so far. */
  complete: boolean
  /**
   * Where Apple's next page starts (`links.next`); null when complete, or when not known (the next
   * page then starts over from the newest builds). Stays in main: the screens never see it.
   */
  next: string | null
}

type BuildsContext = LoadContext<StoredBuilds>

/** The newest page alone, with its own cursor. */
async function firstPage(context: BuildsContext, appId: string): Promise<StoredBuilds> {
  const page = await context.client.listBuilds(appId, context.call(requests.builds(appId)))
  return {
    rows: page.builds.map(toBuildRow),
    total: page.total,
    complete: page.next === null,
    next: page.next?.href ?? null,
  }
}

/**
 * One more page after what is stored, from the kept cursor. Without one (a list stored before its
 * cursor was known), the newest page tells where the next starts: pages are followed until one
 * adds builds, so the answer still grows by a page.
 */
async function nextPage(context: BuildsContext, appId: string): Promise<StoredBuilds> {
  const loaded = context.stored()
  if (!loaded) return firstPage(context, appId)
  if (loaded.complete) return loaded
  const call = context.call(requests.builds(appId))
  const after = (next: string) => context.client.listBuildsAfter(new URL(next), call)
  let page = loaded.next ? await after(loaded.next) : await context.client.listBuilds(appId, call)
  let rows = appendPage(loaded.rows, page.builds.map(toBuildRow))
  for (let hops = 0; rows.length === loaded.rows.length && page.next; hops++) {
    if (hops > loaded.rows.length / PAGE_ROWS + 1) break
    page = await after(page.next.href)
    rows = appendPage(rows, page.builds.map(toBuildRow))
  }
  const latest = context.stored() ?? loaded
  // A refresh or a full load stored meanwhile moved the cursor: this page may not follow on.
  if (latest.complete || latest.next !== loaded.next) return latest
  return {
    rows,
    total: page.total ?? latest.total,
    complete: page.next === null,
    next: page.next?.href ?? null,
  }
}

/** Every build, loaded side by side by pre-release version. */
async function allBuilds(context: BuildsContext, appId: string): Promise<StoredBuilds> {
  const all = await context.client.listAllBuilds(
    appId,
    context.call(requests.preReleaseVersions(appId)),
  )
  const rows = all.map(toBuildRow)
  return { rows, total: rows.length, complete: true, next: null }
}

/** A TestFlight group as its tester count comes: one included tester makes Apple count them. */
export const testFlightGroupSchema = betaGroupSchema.extend({
  relationships: z.object({ betaTesters: toMany }).optional(),
})

export const whatToTestSchema = z.object({
  type: z.literal('betaBuildLocalizations'),
  id: z.string(),
  attributes: z.object({ locale: z.string(), whatsNew: z.string().nullish() }),
})

export const testFlightRequests = {
  /** The groups that have the build, each with the count of its testers. */
  groups: (buildId: string) =>
    get('/v1/betaGroups', {
      'filter[builds]': buildId,
      'fields[betaGroups]': [
        'name',
        'isInternalGroup',
        'hasAccessToAllBuilds',
        'publicLinkEnabled',
        'publicLink',
        'betaTesters',
      ],
      include: ['betaTesters'],
      'fields[betaTesters]': ['inviteType'],
      'limit[betaTesters]': 1,
      sort: 'name',
      limit: PAGE_LIMIT,
    }),
  /** The build's What to Test notes, one per language. */
  notes: (buildId: string) =>
    get(`/v1/builds/${encodeURIComponent(buildId)}/betaBuildLocalizations`, {
      'fields[betaBuildLocalizations]': ['locale', 'whatsNew'],
      limit: PAGE_LIMIT,
    }),
}

function toTestFlightGroup(group: z.infer<typeof testFlightGroupSchema>): TestFlightGroup {
  const { attributes } = group
  return {
    id: group.id,
    name: attributes.name,
    isInternal: attributes.isInternalGroup ?? false,
    testers: group.relationships?.betaTesters?.meta?.paging.total ?? null,
    hasAccessToAllBuilds: attributes.hasAccessToAllBuilds ?? false,
    publicLink: attributes.publicLinkEnabled ? (attributes.publicLink ?? null) : null,
  }
}

async function testFlightOf(
  context: LoadContext<unknown>,
  buildId: string,
): Promise<BuildTestFlight> {
  const groupsRequest = testFlightRequests.groups(buildId)
  const notesRequest = testFlightRequests.notes(buildId)
  const [groups, notes] = await Promise.all([
    context.client.collection(
      groupsRequest,
      testFlightGroupSchema,
      toTestFlightGroup,
      context.call(groupsRequest),
    ),
    context.client.collection(
      notesRequest,
      whatToTestSchema,
      (note) => ({ locale: note.attributes.locale, text: note.attributes.whatsNew?.trim() ?? '' }),
      context.call(notesRequest),
    ),
  ])
  return {
    groups: groups.items.sort(
      (a, b) => Number(b.isInternal) - Number(a.isInternal) || a.name.localeCompare(b.name),
    ),
    whatToTest: notes.items
      .filter((note) => note.text !== '')
      .sort((a, b) => a.locale.localeCompare(b.locale)),
  }
}

/** The rows from `from` on: one page, or all the rest when asked for or already at hand. */
function pageOf(stored: StoredBuilds, from: number, rest: boolean): BuildsPage | null {
  const { rows, complete, total } = stored
  // Asked past what is stored, and the load that would have filled it failed.
  if (from > 0 && from >= rows.length && !complete) return null
  const start = Math.min(from, rows.length)
  const end = rest || complete ? rows.length : Math.min(rows.length, start + PAGE_ROWS)
  const more = end < rows.length || !complete
  return { builds: rows.slice(start, end), total, next: more ? end : null, complete }
}

export const buildsResources = {
  builds: defineResource('builds', {
    key: ({ appId }) => `builds:${appId}`,
    cost: () => 1,
    app: ({ appId }) => appId,
    /**
     * The newest page, laid over what is stored (the rest and its cursor stay); when the two do
     * not meet (more new builds than a page), the page alone.
     */
    load: async (context, { appId }, stored: StoredBuilds | undefined) => {
      const page = await firstPage(context, appId)
      const merged = stored ? mergeNewest(stored.rows, page.rows, page.next !== null) : null
      return stored && merged
        ? { ...stored, rows: merged, total: page.total ?? stored.total }
        : page
    },
    extend: {
      needs: (stored, { from, rest }, isLoading) => {
        if (stored.complete) return null
        if (rest || isLoading('all')) return 'all'
        return from + PAGE_ROWS > stored.rows.length ? 'more' : null
      },
      load: (context, { appId }, _stored, label) =>
        label === 'all' ? allBuilds(context, appId) : nextPage(context, appId),
    },
    view: (stored, { from, rest }) => pageOf(stored, from, rest),
    persist: (stored) =>
      stored.complete && stored.rows.length <= PERSISTED_BUILD_ROWS
        ? stored
        : {
            rows: stored.rows.slice(0, PERSISTED_BUILD_ROWS),
            total: stored.total,
            complete: false,
            next: null,
          },
  }),

  build: defineResource('build', {
    key: ({ buildId }) => `build:${buildId}`,
    cost: () => 1,
    load: async (context, { buildId }) =>
      toBuildDetail(await context.client.getBuild(buildId, context.call(requests.build(buildId)))),
  }),

  testFlight: defineResource('testFlight', {
    key: ({ buildId }) => `testFlight:${buildId}`,
    cost: () => 2,
    load: (context, { buildId }) => testFlightOf(context, buildId),
  }),
}
