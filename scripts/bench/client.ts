/**
 * The App Store Connect client against the sandbox with 100 ms of latency per request: requests
 * and wall time for the apps list, the first builds screen and all 5,000 builds of the big app,
 * and how often the key is read from the keychain and a token signed: for the client with one
 * unscoped token, and on the browsing path (scoped tokens: apps, activity, the first builds
 * screen and its pages to the end).
 *
 * The key goes the way it does in the app: saved in the keychain (the Secret Service the bench
 * runs with), loaded by the keys module in a fresh session, signed for by the token signer. The
 * sandbox runs in this process, so wall times include its work (~10 ms per page of 200 builds).
 */
import { importPKCS8 } from 'jose'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAscClient } from '../../src/main/asc'
import type { AscKeyClient, BuildRow } from '../../src/main/asc'
import { createBrowse } from '../../src/main/browse'
import { createBrowseCache } from '../../src/main/cache'
import { silentLogger } from '../../src/main/log'
import type { SecretStore } from '../../src/main/secrets'
import { createKeyringSecretStore } from '../../src/main/secrets'
import { createTokenSigner } from '../../src/main/tokens'
import { startSandbox } from '../../test/sandbox/index'
import type { Sandbox } from '../../test/sandbox/index'
import { createHeadlessKeys } from '../../test/main/fakes'
import type { BenchFigure, BenchSection } from '../bench'

const LATENCY_MS = 100
const ALL_BUILDS_RUNS = 3
const MINUTE = 60_000
const SIMULATED_MINUTES = 60
/** Apple's limit on a token's life: the signer should sign about once per this many minutes. */
const TOKEN_MINUTES = 19

/** Sends the sandbox's first requests (it loads Apple's spec then) from a key not measured. */
async function warmUp(sandbox: Sandbox): Promise<void> {
  const key = sandbox.findKey({ team: 'fabrikam', revoked: false })
  const tokens = createTokenSigner({
    now: Date.now,
    loadKey: () => importPKCS8(key.privateKeyPem, 'ES256'),
  })
  const asc = createAscClient({ fetch, baseUrl: sandbox.url, tokens })
  const api = asc.forKey({
    keyType: key.type,
    keyId: key.keyId,
    issuerId: key.issuerId,
    fingerprint: 'warm-up',
  })
  const [app] = await api.listApps()
  if (app) await api.listBuilds(app.id)
}

interface Timed<T> {
  value: T
  ms: number
  requests: number
}

async function timed<T>(sandbox: Sandbox, run: () => Promise<T>): Promise<Timed<T>> {
  sandbox.admin.resetRequestLog()
  const started = performance.now()
  const value = await run()
  const ms = Math.round(performance.now() - started)
  return { value, ms, requests: sandbox.admin.requestLog().length }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

async function screens(sandbox: Sandbox, api: AscKeyClient): Promise<BenchFigure[]> {
  const bigApp = sandbox.fixtures.bigApp
  const apps = await timed(sandbox, () => api.listApps())
  const first = await timed(sandbox, () => api.listBuilds(bigApp.id))
  const runs: Timed<BuildRow[]>[] = []
  for (let run = 0; run < ALL_BUILDS_RUNS; run++) {
    runs.push(await timed(sandbox, () => api.listAllBuilds(bigApp.id)))
  }
  for (const run of runs) {
    if (new Set(run.value.map((build) => build.id)).size !== bigApp.buildCount) {
      throw new Error(
        `loading all builds gave ${run.value.length} builds, not ${bigApp.buildCount}`,
      )
    }
  }
  const one = { op: '<=', value: 1 } as const
  return [
    {
      label: `all apps (${apps.value.length}): requests`,
      value: apps.requests,
      unit: '',
      target: one,
    },
    { label: 'all apps: wall time', value: apps.ms, unit: 'ms' },
    { label: 'first builds screen: requests', value: first.requests, unit: '', target: one },
    {
      label: `first builds screen (${first.value.builds.length} rows): wall time`,
      value: first.ms,
      unit: 'ms',
    },
    { label: `all ${bigApp.buildCount} builds: requests`, value: runs[0]?.requests ?? 0, unit: '' },
    {
      label: `all builds: wall time (median of ${ALL_BUILDS_RUNS})`,
      value: median(runs.map((run) => run.ms)),
      unit: 'ms',
      target: { op: '<', value: 1500 },
    },
    { label: 'all builds: slowest run', value: Math.max(...runs.map((run) => run.ms)), unit: 'ms' },
  ]
}

/**
 * The browsing path in a fresh session, as the screens use it: the apps list, every app's
 * activity, the big app's first builds screen, then a page at a time to its end. Scoped tokens,
 * so more signatures than the client's single token: how many per 100 requests, and keychain
 * reads.
 */
async function browsePath(
  sandbox: Sandbox,
  dataDir: string,
  secrets: SecretStore,
  teamId: string,
  clock: () => number,
): Promise<BenchFigure[]> {
  const keys = createHeadlessKeys(dataDir, secrets)
  try {
    await keys.reconcile()
    const tokens = createTokenSigner({ loadKey: keys.loadSigningKey, now: clock })
    const asc = createAscClient({ fetch, baseUrl: sandbox.url, tokens, now: clock })
    const browse = createBrowse({
      asc,
      keys,
      cache: createBrowseCache(),
      now: clock,
      log: silentLogger,
    })
    const appId = sandbox.fixtures.bigApp.id
    const apps = await browse.read({ teamId, resource: 'apps', params: {} })
    await browse.read({ teamId, resource: 'activity', params: {} })
    let loaded = 0
    let page = await browse.read({ teamId, resource: 'builds', params: { appId } })
    loaded += page.value?.builds.length ?? 0
    while (page.value?.next != null && !page.problem) {
      const from = page.value.next
      page = await browse.read({ teamId, resource: 'builds', params: { appId, from } })
      loaded += page.value?.builds.length ?? 0
    }
    browse.dispose()
    if (loaded !== sandbox.fixtures.bigApp.buildCount) {
      throw new Error(`paging gave ${loaded} builds, not all of them`)
    }
    const requests = asc.counts(await keys.identityOf(teamId)).requests
    const { signatures } = tokens.counters()
    const per100 = (count: number) => (count * 100) / requests
    return [
      {
        label: `browsing (${apps.value?.length ?? 0} apps, activity, all builds page by page): requests`,
        value: requests,
        unit: '',
      },
      { label: 'browsing: token signatures', value: signatures, unit: '' },
      { label: 'browsing: token signatures per 100 requests', value: per100(signatures), unit: '' },
      {
        label: 'browsing: keychain reads per 100 requests',
        value: per100(keys.counters().keychainReads),
        unit: '',
      },
    ]
  } finally {
    await keys.dispose()
  }
}

export const clientSection: BenchSection = {
  name: `client (${LATENCY_MS} ms latency)`,
  async run() {
    // One clock for the sandbox, the signer and the client, so an hour can pass in seconds.
    let skew = 0
    const clock = () => Date.now() + skew
    const sandbox = await startSandbox({ latencyMs: LATENCY_MS, now: clock })
    const dataDir = await mkdtemp(join(tmpdir(), 'ascent-bench-'))
    const secrets = createKeyringSecretStore({
      service: `Ascent-bench-${randomBytes(4).toString('hex')}`,
    })
    const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    const account = `${key.issuerId}/${key.keyId}`
    try {
      // A key saved in an earlier session...
      await secrets.set(account, key.privateKeyPem)
      const setup = createHeadlessKeys(dataDir, secrets)
      await setup.reconcile()
      const team = await setup.adoptOrphan(account, 'Northwind CI Admin')
      await setup.dispose()
      // ...used in this one.
      const keys = createHeadlessKeys(dataDir, secrets)
      await keys.reconcile()
      const tokens = createTokenSigner({ loadKey: keys.loadSigningKey, now: clock })
      const asc = createAscClient({ fetch, baseUrl: sandbox.url, tokens, now: clock })
      const identity = await keys.identityOf(key.keyId)
      const api = asc.forKey(identity)
      await warmUp(sandbox)

      const figures = await screens(sandbox, api)
      const requests = asc.counts(identity).requests
      const short = { ...tokens.counters(), keychainReads: keys.counters().keychainReads }
      const per100 = (count: number) => (count * 100) / requests
      const browsing = await browsePath(sandbox, dataDir, secrets, team.id, clock)

      // A request a minute for an hour, without latency: how often does the key sign?
      sandbox.admin.clearFaults()
      for (let minute = 0; minute < SIMULATED_MINUTES; minute++) {
        await api.probeApps()
        skew += MINUTE
      }
      const hour = tokens.counters()
      const perHour = { op: '<=', value: Math.ceil(SIMULATED_MINUTES / TOKEN_MINUTES) } as const
      const keychainReads = keys.counters().keychainReads
      await keys.dispose()
      return [
        ...figures,
        { label: 'requests sent by the key for the above', value: requests, unit: '' },
        { label: 'token signatures per 100 requests', value: per100(short.signatures), unit: '' },
        { label: 'key loads per 100 requests', value: per100(short.keyLoads), unit: '' },
        { label: 'keychain reads per 100 requests', value: per100(short.keychainReads), unit: '' },
        ...browsing,
        {
          label: `token signatures, a request a minute for ${SIMULATED_MINUTES} min`,
          value: hour.signatures - short.signatures,
          unit: '',
          target: perHour,
        },
        {
          label: `key loads, a request a minute for ${SIMULATED_MINUTES} min`,
          value: hour.keyLoads - short.keyLoads,
          unit: '',
          target: perHour,
        },
        {
          label: 'keychain reads in the whole session',
          value: keychainReads,
          unit: '',
          target: { op: '<=', value: 1 },
        },
      ]
    } finally {
      await secrets.delete(account).catch(() => false)
      await rm(dataDir, { recursive: true, force: true })
      await sandbox.close()
    }
  },
}
