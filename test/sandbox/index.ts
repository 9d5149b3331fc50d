/**
 * The Apple sandbox: a local stand-in for api.appstoreconnect.apple.com on 127.0.0.1.
 *
 *   const sandbox = await startSandbox({ seed?, port?, latencyMs?, hourlyLimit?, retryAfter?, faults?,
 *                                        now?, keyFiles? })
 *   sandbox.url                       'http://127.0.0.1:<port>'; call `${sandbox.url}/v1/apps`
 *   sandbox.teams                     [{ name, issuerId, agreementsSigned, appIds, keys: [{ keyId, name,
 *                                       role, type, issuerId, revoked, privateKeyPem, p8Path }] }]
 *   sandbox.findKey({ team?, role?, type?, revoked? })   first matching key (team: name prefix)
 *   sandbox.fixtures                  { bigApp: { id, name, bundleId, buildCount },
 *                                       individualAppIds, builds: { expiringSoon, expired, expiredEarly,
 *                                       stuckProcessing, processing, missingCompliance, failed, invalid } }
 *   sandbox.admin                     setFaults(rules) · addFaults(...rules) · clearFaults() · faults()
 *                                     revokeKey(keyId) · unrevokeKey(keyId)
 *                                     setAgreementsSigned(issuerId, signed)
 *                                     setHourlyLimit(n) · setRetryAfter(send) · resetRateLimits()
 *                                     requestLog() · resetRequestLog()
 *                                     waitForRequest(test) · waitUntilSettled()   (events, not pauses)
 *                                     updateBuild(buildId, { processingState?, usesNonExemptEncryption?,
 *                                       expired? })   (processing finishes, compliance answered)
 *   sandbox.describe()                the public summary (no private keys, attention cases as counts),
 *                                     as `GET /__sandbox` and `npm run -s sandbox -- --json` print it
 *   await sandbox.close()             stops serving, drops hanging connections, deletes key files
 *
 * Options: `seed` (default 1) fixes IDs, names and builds; data is dated relative to `now()` at
 * start. `now` (ms, default Date.now) also drives `Date` headers, token times and the rolling hour.
 * `hourlyLimit` (default 3600) is per key; `retryAfter: false` leaves `Retry-After` off 429s (Apple
 * sends it only sometimes, see server.ts). `latencyMs` is shorthand for a `{ kind: 'latency' }`
 * fault rule (so clearFaults removes it). `keyFiles: true` writes `AuthKey_<KEYID>.p8` (0600) into
 * a fresh temp dir. Fault rules: see faults.ts. Checks, error codes, role matrix: see server.ts and
 * auth.ts. Private keys are P-256 PKCS#8 PEM generated at every start, never stored in the repo.
 */
import { generateKeyPairSync } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KeyType, Role } from '../../src/shared/keys'
import type { FaultRule } from './faults'
import { loadSpec } from './openapi'
import { seedData } from './seed'
import type { AttentionBuilds, SeedFixtures } from './seed'
import { SandboxServer } from './server'
import type { BuildChange, KeyState, RequestLogEntry } from './server'

export type { FaultRule } from './faults'
export type { BuildChange, RequestLogEntry, RequestState } from './server'
export type { AttentionBuilds } from './seed'

export interface SandboxOptions {
  /** Default: a free port. */
  port?: number
  /** Default 1. */
  seed?: number
  latencyMs?: number
  /** Requests per key per rolling hour; default 3600. */
  hourlyLimit?: number
  /** Send `Retry-After` with a 429; default true. */
  retryAfter?: boolean
  faults?: FaultRule[]
  /** The sandbox clock in ms since the epoch; default Date.now. */
  now?: () => number
  /** Write each private key to `AuthKey_<KEYID>.p8` in a temp dir deleted on close. */
  keyFiles?: boolean
  /**
   * Add a fourth team, Tailspin Toys, with 500 apps, one with 100,000 builds (the bench's scale
   * rows; seconds to seed and a few hundred MB, so the tests leave it off).
   */
  scale?: boolean
}

export interface SandboxKey {
  keyId: string
  /** The key's name in App Store Connect. */
  name: string
  role: Role
  type: KeyType
  /** The team's issuer ID for a team key; null for an individual key (its tokens carry none). */
  issuerId: string | null
  teamName: string
  revoked: boolean
  privateKeyPem: string
  p8Path: string | null
}

export interface SandboxTeam {
  name: string
  issuerId: string
  /** False: every request of the team's keys answers 403 REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED. */
  agreementsSigned: boolean
  appIds: string[]
  keys: SandboxKey[]
}

export interface SandboxFixtures extends SeedFixtures {
  /** The apps the individual key's user may see. */
  individualAppIds: string[]
}

export interface KeyQuery {
  /** A prefix of the team name, any case: 'northwind'. */
  team?: string
  role?: Role
  type?: KeyType
  revoked?: boolean
}

export interface SandboxAdmin {
  setFaults(rules: FaultRule[]): void
  addFaults(...rules: FaultRule[]): void
  clearFaults(): void
  faults(): FaultRule[]
  revokeKey(keyId: string): void
  unrevokeKey(keyId: string): void
  /** Signs (or lets expire) the team's agreements: its keys' requests answer 403 until signed. */
  setAgreementsSigned(issuerId: string, signed: boolean): void
  setHourlyLimit(limit: number): void
  /** Whether a 429 carries `Retry-After`. */
  setRetryAfter(send: boolean): void
  resetRateLimits(): void
  requestLog(): RequestLogEntry[]
  resetRequestLog(): void
  /**
   * The first logged request, now or later, that `test` accepts: await "a request reached the
   * sandbox and is held", "it was answered", "its client left" instead of pausing. Rejects after
   * `timeoutMs` (default 10 s), saying what the log held.
   */
  waitForRequest(
    test: (entry: RequestLogEntry) => boolean,
    timeoutMs?: number,
  ): Promise<RequestLogEntry>
  /** The log, once none of its requests is held any more (each answered or dropped). */
  waitUntilSettled(timeoutMs?: number): Promise<RequestLogEntry[]>
  /**
   * Changes a build as App Store Connect would (processing finishes, export compliance is
   * answered, the build is expired by hand): its attributes and its TestFlight states.
   */
  updateBuild(buildId: string, change: BuildChange): void
}

export interface SandboxSummary {
  url: string
  seed: number
  keyDir: string | null
  teams: {
    name: string
    issuerId: string
    agreementsSigned: boolean
    appIds: string[]
    keys: Omit<SandboxKey, 'privateKeyPem' | 'teamName' | 'issuerId'>[]
  }[]
  /** The fixtures without the long ID lists: how many builds each attention case has. */
  fixtures: {
    bigApp: SandboxFixtures['bigApp']
    individualAppIds: string[]
    attentionCounts: Record<keyof AttentionBuilds, number>
    scale: SandboxFixtures['scale']
  }
}

export interface Sandbox {
  url: string
  port: number
  seed: number
  teams: SandboxTeam[]
  fixtures: SandboxFixtures
  findKey(query: KeyQuery): SandboxKey
  admin: SandboxAdmin
  describe(): SandboxSummary
  close(): Promise<void>
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now
  const seed = options.seed ?? 1
  loadSpec()
  const seeded = seedData(seed, now(), { scale: options.scale })
  const keyDir = options.keyFiles ? mkdtempSync(join(tmpdir(), 'ascent-sandbox-keys-')) : null
  const keyStates = new Map<string, KeyState>()
  const teams: SandboxTeam[] = seeded.teams.map((team) => ({
    name: team.name,
    issuerId: team.issuerId,
    agreementsSigned: team.agreementsSigned,
    appIds: team.appIds,
    keys: team.keys.map((key) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
      let p8Path: string | null = null
      if (keyDir) {
        p8Path = join(keyDir, `AuthKey_${key.keyId}.p8`)
        writeFileSync(p8Path, privateKeyPem, { mode: 0o600 })
        chmodSync(p8Path, 0o600)
      }
      keyStates.set(key.keyId, {
        keyId: key.keyId,
        type: key.type,
        issuerId: team.issuerId,
        publicKey,
        revoked: key.revoked,
        role: key.role,
        visibleAppIds: key.visibleAppIds ? new Set(key.visibleAppIds) : null,
        agreementsSigned: team.agreementsSigned,
      })
      const state = keyStates.get(key.keyId)
      return {
        keyId: key.keyId,
        name: key.name,
        role: key.role,
        type: key.type,
        issuerId: key.type === 'team' ? team.issuerId : null,
        teamName: team.name,
        /** Live: follows revokeKey / unrevokeKey and the admin endpoint. */
        get revoked() {
          return state?.revoked ?? false
        },
        privateKeyPem,
        p8Path,
      }
    }),
  }))
  const allKeys = teams.flatMap((team) => team.keys)
  const individual = seeded.teams.flatMap((team) => team.keys).find((key) => key.visibleAppIds)
  const fixtures: SandboxFixtures = {
    ...seeded.fixtures,
    individualAppIds: individual?.visibleAppIds ?? [],
  }

  const describe = (): SandboxSummary => ({
    url: server.url,
    seed,
    keyDir,
    teams: teams.map((team) => ({
      name: team.name,
      issuerId: team.issuerId,
      agreementsSigned: team.agreementsSigned,
      appIds: team.appIds,
      keys: team.keys.map(({ keyId, name, role, type, revoked, p8Path }) => ({
        keyId,
        name,
        role,
        type,
        revoked,
        p8Path,
      })),
    })),
    fixtures: {
      bigApp: fixtures.bigApp,
      scale: fixtures.scale,
      individualAppIds: fixtures.individualAppIds,
      attentionCounts: Object.fromEntries(
        Object.entries(fixtures.builds).map(([name, ids]: [string, string[]]) => [
          name,
          ids.length,
        ]),
      ) as Record<keyof AttentionBuilds, number>,
    },
  })

  const server = new SandboxServer({
    store: seeded.store,
    keys: keyStates,
    hourlyLimit: options.hourlyLimit ?? 3600,
    retryAfter: options.retryAfter ?? true,
    now,
    describe,
  })
  const initialFaults: FaultRule[] = [...(options.faults ?? [])]
  if (options.latencyMs) initialFaults.unshift({ kind: 'latency', ms: options.latencyMs })
  server.faults.set(initialFaults)
  try {
    await server.listen(options.port ?? 0)
  } catch (error) {
    if (keyDir) rmSync(keyDir, { recursive: true, force: true })
    throw error
  }

  return {
    url: server.url,
    port: Number(new URL(server.url).port),
    seed,
    teams,
    fixtures,
    findKey(query) {
      const found = allKeys.find(
        (key) =>
          (query.team === undefined ||
            key.teamName.toLowerCase().startsWith(query.team.toLowerCase())) &&
          (query.role === undefined || key.role === query.role) &&
          (query.type === undefined || key.type === query.type) &&
          (query.revoked === undefined || key.revoked === query.revoked),
      )
      if (!found) throw new Error(`No sandbox key matches ${JSON.stringify(query)}`)
      return found
    },
    admin: {
      setFaults: (rules) => server.faults.set(rules),
      addFaults: (...rules) => server.faults.add(rules),
      clearFaults: () => server.faults.clear(),
      faults: () => server.faults.list(),
      revokeKey: (keyId) => server.setRevoked(keyId, true),
      unrevokeKey: (keyId) => server.setRevoked(keyId, false),
      setAgreementsSigned: (issuerId, signed) => {
        const team = teams.find((candidate) => candidate.issuerId === issuerId)
        if (!team) throw new Error(`Unknown team ${issuerId}`)
        team.agreementsSigned = signed
        // Individual keys belong to a team too: the team's agreements bind them as well.
        for (const key of team.keys) {
          const state = keyStates.get(key.keyId)
          if (state) state.agreementsSigned = signed
        }
      },
      setHourlyLimit: (limit) => {
        server.hourlyLimit = limit
      },
      setRetryAfter: (send) => {
        server.retryAfter = send
      },
      resetRateLimits: () => server.resetRateLimits(),
      requestLog: () => server.requestLog(),
      resetRequestLog: () => server.resetRequestLog(),
      waitForRequest: (test, timeoutMs) => server.waitForRequest(test, timeoutMs),
      waitUntilSettled: (timeoutMs) => server.waitUntilSettled(timeoutMs),
      updateBuild: (buildId, change) => server.updateBuild(buildId, change),
    },
    describe,
    async close() {
      await server.close()
      if (keyDir) rmSync(keyDir, { recursive: true, force: true })
    },
  }
}
