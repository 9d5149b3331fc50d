/**
 * A fake main process behind a fake `window.ascent`, for the data hooks' component tests: it
 * answers `browse:read` from what a test lays in, records every call, and sends `browse:changed`
 * when the test says a refresh landed. Importing this module installs it as `window.ascent`: import
 * it before anything from src/renderer (src/renderer/data/bridge.ts reads the global once).
 */
import type {
  CacheCleared,
  RadarOverview,
  ResourceAnswer,
  ResourceChange,
  ResourceName,
  ResourceRequest,
  TeamDetails,
  TeamHistoryItem,
  TeamsState,
  TeamUsage,
} from '../../../src/shared/contract'
import type { IpcError, Result } from '../../../src/shared/result'

type Reply = Result<ResourceAnswer> | Promise<Result<ResourceAnswer>>

export interface FakeMain {
  /** Every `browse:read` and `browse:refresh`, in order. */
  reads: ResourceRequest[]
  refreshes: ResourceRequest[]
  /** Other calls by channel (`teams:rename`, …), with their requests. */
  calls: { channel: string; request: unknown }[]
  /** How main answers a read; a test replaces it. */
  onRead: (request: ResourceRequest) => Reply
  teams: TeamsState
  usage: TeamUsage | null
  /** Sends `browse:changed` to the page. */
  changed: (change: ResourceChange) => void
  /** What `radar:overview` answers. */
  radar: RadarOverview
  /** Sends `radar:changed` to the page. */
  radarChanged: (overview: RadarOverview) => void
  /** Sends `cache:cleared` to the page. */
  cacheCleared: (cleared: CacheCleared) => void
  /** Each team's history, newest first, as `teams:details` answers it; exports add to it. */
  history: Record<string, TeamHistoryItem[]>
  /** When set, `teams:export` fails with it. */
  exportFailure: IpcError | null
  reset: () => void
}

export function emptyRadar(): RadarOverview {
  return { paused: null, budget: { percent: 5, requestsPerKeyPerHour: 180 }, teams: [] }
}

export function answer<R extends ResourceName>(
  request: ResourceRequest<R>,
  value: ResourceAnswer<R>['value'],
  freshness: Partial<Omit<ResourceAnswer<R>, 'value' | 'resource'>> = {},
): Result<ResourceAnswer> {
  return {
    ok: true,
    value: {
      teamId: request.teamId,
      fetchedAt: 1_000,
      fromCache: true,
      refreshing: false,
      problem: null,
      error: null,
      ...freshness,
      resource: request.resource,
      value,
    } as ResourceAnswer,
  }
}

export function failure(code: IpcError['code'], message = 'It failed.'): Result<never> {
  return { ok: false, error: { code, message } }
}

const listeners = new Set<(change: ResourceChange) => void>()
const radarListeners = new Set<(overview: RadarOverview) => void>()
const clearedListeners = new Set<(cleared: CacheCleared) => void>()

function ok<T>(value: T): Promise<Result<T>> {
  return Promise.resolve({ ok: true, value })
}

export const fakeMain: FakeMain = {
  reads: [],
  refreshes: [],
  calls: [],
  onRead: () => failure('internal', 'No answer laid in for this read.'),
  teams: { teams: [], activeTeamId: null, orphans: [], notices: [] },
  usage: null,
  changed: (change) => {
    for (const listener of listeners) listener(change)
  },
  radar: emptyRadar(),
  radarChanged: (overview) => {
    fakeMain.radar = overview
    for (const listener of radarListeners) listener(overview)
  },
  cacheCleared: (cleared) => {
    for (const listener of clearedListeners) listener(cleared)
  },
  history: {},
  exportFailure: null,
  reset: () => {
    fakeMain.history = {}
    fakeMain.exportFailure = null
    fakeMain.radar = emptyRadar()
    fakeMain.reads = []
    fakeMain.refreshes = []
    fakeMain.calls = []
    fakeMain.onRead = () => failure('internal', 'No answer laid in for this read.')
    fakeMain.teams = { teams: [], activeTeamId: null, orphans: [], notices: [] }
    fakeMain.usage = null
  },
}

function record(channel: string) {
  return (request: unknown) => {
    fakeMain.calls.push({ channel, request })
    return ok(null)
  }
}

const api = {
  keys: {
    /** Moves the team to a new key ID, as main's rotation does. */
    rotate: (request: { checkId: string; teamId: string }) => {
      fakeMain.calls.push({ channel: 'keys:rotate', request })
      const team = fakeMain.teams.teams.find((candidate) => candidate.id === request.teamId)
      if (!team) return Promise.resolve(failure('keys.team_not_found', 'No such team.'))
      const previousKeyId = team.keyId
      team.keyId = `NEW${previousKeyId}`.slice(0, 10)
      return ok({
        team: structuredClone(team),
        previousKeyId,
        previousItemRemoved: true,
        revoke: {
          keyId: previousKeyId,
          url: 'https://appstoreconnect.apple.com/access/integrations/api',
          steps: [],
        },
      })
    },
  },
  browse: {
    read: (request: ResourceRequest) => {
      fakeMain.reads.push(request)
      return Promise.resolve(fakeMain.onRead(request))
    },
    refresh: (request: ResourceRequest) => {
      fakeMain.refreshes.push(request)
      return ok(null)
    },
    onChanged: (listener: (change: ResourceChange) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  },
  teams: {
    list: () => {
      fakeMain.calls.push({ channel: 'teams:list', request: undefined })
      return ok(structuredClone(fakeMain.teams))
    },
    usage: ({ teamId }: { teamId: string }) =>
      fakeMain.usage
        ? ok({ ...fakeMain.usage, teamId })
        : Promise.resolve(failure('keys.team_not_found')),
    activate: record('teams:activate'),
    rename: (request: { teamId: string; name: string }) => {
      fakeMain.calls.push({ channel: 'teams:rename', request })
      const team = fakeMain.teams.teams.find((candidate) => candidate.id === request.teamId)
      if (!team) return Promise.resolve(failure('keys.team_not_found', 'No such team.'))
      team.name = request.name
      return ok(team)
    },
    remove: (request: { teamId: string }) => {
      fakeMain.calls.push({ channel: 'teams:remove', request })
      fakeMain.teams.teams = fakeMain.teams.teams.filter((team) => team.id !== request.teamId)
      return ok(null)
    },
    recheck: record('teams:recheck'),
    details: ({ teamId }: { teamId: string }) => {
      fakeMain.calls.push({ channel: 'teams:details', request: { teamId } })
      const team = fakeMain.teams.teams.find((candidate) => candidate.id === teamId)
      if (!team) return Promise.resolve(failure('keys.team_not_found', 'No such team.'))
      const details: TeamDetails = {
        ...team,
        fingerprint: 'ab'.repeat(32),
        lastUsedAt: null,
        history: fakeMain.history[teamId] ?? [],
        secretStore: 'Test Keychain',
        keychainAccount: `${team.issuerId}/${team.keyId}`,
        integrationsUrl: 'https://appstoreconnect.apple.com/access/integrations/api',
      }
      return ok(structuredClone(details))
    },
    export: (request: { teamId: string; format: 'fastlane' | 'p8' | 'env' }) => {
      fakeMain.calls.push({ channel: 'teams:export', request })
      if (fakeMain.exportFailure)
        return Promise.resolve({ ok: false, error: fakeMain.exportFailure })
      const at = new Date(1_000).toISOString()
      const path = `/Users/me/${request.format}`
      fakeMain.history[request.teamId] = [
        {
          kind: 'exported',
          at,
          format: request.format,
          to: 'file',
          path,
          via: 'app',
          summary: `saved to ${path}`,
        },
        ...(fakeMain.history[request.teamId] ?? []),
      ]
      return ok({ status: 'saved', format: request.format, path, ghSecretCommands: [] })
    },
    adoptOrphan: record('teams:adoptOrphan'),
    forgetOrphan: record('teams:forgetOrphan'),
  },
  radar: {
    overview: () => {
      fakeMain.calls.push({ channel: 'radar:overview', request: undefined })
      return ok(structuredClone(fakeMain.radar))
    },
    onChanged: (listener: (overview: RadarOverview) => void) => {
      radarListeners.add(listener)
      return () => radarListeners.delete(listener)
    },
  },
  cache: {
    clear: record('cache:clear'),
    onCleared: (listener: (cleared: CacheCleared) => void) => {
      clearedListeners.add(listener)
      return () => clearedListeners.delete(listener)
    },
  },
  app: {
    onCommand: () => () => undefined,
    openExternal: record('app:openExternal'),
  },
}

Object.defineProperty(window, 'ascent', { value: api, configurable: true })
