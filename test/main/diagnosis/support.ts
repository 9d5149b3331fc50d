/**
 * Ascent's real main process (createAscent, the real dispatcher and handlers) on a memory secret
 * store and a temp data folder, talking to the Apple sandbox, for the check → save tests. Its fetch
 * checks every request and answer against Apple's spec; `close` expects that nothing broke it, so
 * a test that provokes a non-spec answer on purpose takes just that out first (`app.spec.take`).
 */
import { randomUUID } from 'node:crypto'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import type {
  CheckProgress,
  CheckReport,
  KeyDraft,
  RequestOf,
  ResponseOf,
  Channel,
  TeamSummary,
} from '../../../src/shared/contract'
import type { Role } from '../../../src/shared/keys'
import type { Result } from '../../../src/shared/result'
import type { Ascent } from '../../../src/main/ascent'
import { createAscent } from '../../../src/main/ascent'
import { createDispatcher } from '../../../src/main/ipc'
import { createLogger } from '../../../src/main/log'
import type { Platform } from '../../../src/main/platform'
import type { Sandbox, SandboxKey } from '../../sandbox'
import { startSandbox } from '../../sandbox'
import { expectSpecKept, specCheckingFetch } from '../asc/support'
import type { SpecCheck } from '../asc/support'
import type {
  FakeSaveDialog,
  FakeTimer,
  FakeUserPresence,
  MemoryClipboard,
  MemorySecretStore,
} from '../fakes'
import {
  backgroundPlatform,
  createFakeSaveDialog,
  createFakeTimer,
  createFakeUserPresence,
  createMemoryClipboard,
  createMemorySecretStore,
} from '../fakes'

const ORIGIN = 'app://ascent'

export interface TestApp {
  ascent: Ascent
  invoke: <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>
  /** `invoke` that expects success. */
  call: <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>
  secrets: MemorySecretStore
  clipboard: MemoryClipboard
  saveDialog: FakeSaveDialog
  userPresence: FakeUserPresence
  timer: FakeTimer
  /** Every event main sent, in order. */
  events: { event: string; payload: unknown }[]
  /** Every log line, as the redacting logger would write it. */
  logLines: string[]
  progress: CheckProgress[]
  /** Resolves with the first progress event, seen or yet to come, that `test` accepts. */
  progressWhere: (test: (progress: CheckProgress) => boolean) => Promise<CheckProgress>
  dataDir: string
  homeDir: string
  /** What the app sent and got, checked against Apple's spec. */
  spec: SpecCheck
  /** Disposes of the app, then expects no problem left in `spec`. */
  close: () => Promise<void>
}

export interface TestAppOptions {
  apiBase: string
  now?: () => number
  timeoutMs?: number
  secrets?: MemorySecretStore
  dataDir?: string
}

export async function startApp(options: TestAppOptions): Promise<TestApp> {
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'ascent-check-')))
  const secrets = options.secrets ?? createMemorySecretStore()
  const clipboard = createMemoryClipboard()
  const saveDialog = createFakeSaveDialog()
  const userPresence = createFakeUserPresence()
  const timer = createFakeTimer()
  const homeDir = await mkdtemp(join(tmpdir(), 'ascent-home-'))
  const progress: CheckProgress[] = []
  const progressWaiters = new Set<(event: CheckProgress) => void>()
  const events: TestApp['events'] = []
  const logLines: string[] = []
  const spec = specCheckingFetch()
  const platform: Platform = {
    secrets,
    clipboard,
    dialog: {
      chooseKeyFile: () => Promise.resolve(null),
      chooseSavePath: (request) => saveDialog.chooseSavePath(request),
    },
    shell: { openExternal: () => Promise.resolve() },
    fetch: spec.fetch,
    now: options.now ?? (() => Date.now()),
    dataDir,
    apiBase: options.apiBase,
    appVersion: '0.0.0-test',
    notify: (event, payload) => {
      events.push({ event, payload })
      if (event !== 'keys:checkProgress') return
      progress.push(payload as CheckProgress)
      for (const waiter of [...progressWaiters]) waiter(payload as CheckProgress)
    },
    log: createLogger((line) => logLines.push(line)),
    userPresence,
    timer,
    homeDir,
    ...backgroundPlatform(),
  }
  const ascent = createAscent(platform, {
    startRadar: false,
    asc: {
      timeoutMs: options.timeoutMs ?? 5_000,
      retry: { baseDelayMs: 1, maxDelayMs: 4 },
    },
  })
  const dispatch = createDispatcher({
    trustedOrigin: ORIGIN,
    handlers: ascent.handlers,
    log: platform.log,
  })
  const invoke = async <C extends Channel>(channel: C, request: RequestOf<C>) =>
    (await dispatch(channel, request, { url: `${ORIGIN}/`, isTopFrame: true })) as Result<
      ResponseOf<C>
    >
  return {
    ascent,
    invoke,
    call: async (channel, request) => {
      const result = await invoke(channel, request)
      if (!result.ok)
        throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`)
      return result.value
    },
    secrets,
    clipboard,
    saveDialog,
    userPresence,
    timer,
    events,
    logLines,
    progress,
    progressWhere: (test) => {
      const seen = progress.find(test)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve) => {
        const waiter = (event: CheckProgress) => {
          if (!test(event)) return
          progressWaiters.delete(waiter)
          resolve(event)
        }
        progressWaiters.add(waiter)
      })
    },
    dataDir,
    homeDir,
    spec,
    close: async () => {
      await ascent.dispose()
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
      await rm(homeDir, { recursive: true, force: true })
      await expectSpecKept(spec)
    },
  }
}

export interface SandboxApps {
  /** The file's sandbox, started before its first test (key files on disk). */
  sandbox: () => Sandbox
  /** An app on the sandbox, closed after the test that started it. */
  app: (options?: Partial<TestAppOptions>) => Promise<TestApp>
  /** An app with `key` checked live and saved under `name`. */
  appWithTeam: (key: SandboxKey, name?: string) => Promise<{ app: TestApp; team: TeamSummary }>
}

/**
 * One Apple sandbox per test file and the apps its tests start, each closed (and its spec check
 * settled) after its test. Call once at the top of a test file.
 */
export function useSandboxApps(): SandboxApps {
  let sandbox: Sandbox | null = null
  const apps: TestApp[] = []
  const started = () => {
    if (!sandbox) throw new Error('the sandbox starts in beforeAll: use it inside a test')
    return sandbox
  }
  beforeAll(async () => {
    sandbox = await startSandbox({ keyFiles: true })
  })
  afterAll(async () => {
    await sandbox?.close()
  })
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()))
  })
  const app = async (options: Partial<TestAppOptions> = {}) => {
    const opened = await startApp({ apiBase: started().url, ...options })
    apps.push(opened)
    return opened
  }
  return {
    sandbox: started,
    app,
    async appWithTeam(key, name = 'Northwind') {
      const opened = await app()
      const report = await runCheck(opened, await importFile(opened, key.p8Path!), {
        keyType: key.type,
        issuerId: key.issuerId ?? '',
        keyId: key.keyId,
      })
      const team = await opened.call('keys:save', { checkId: report.checkId, name })
      return { app: opened, team }
    },
  }
}

export async function importFile(app: TestApp, path: string): Promise<KeyDraft> {
  const outcome = await app.call('keys:importDropped', { path })
  if (outcome.status !== 'imported') throw new Error(`import refused: ${JSON.stringify(outcome)}`)
  return outcome.draft
}

export async function importPasted(app: TestApp, pem: string): Promise<KeyDraft> {
  app.clipboard.text = pem
  const outcome = await app.call('keys:pasteClipboard', undefined)
  if (outcome.status !== 'imported') throw new Error(`paste refused: ${JSON.stringify(outcome)}`)
  return outcome.draft
}

/** The key's file under another name, as a user's renamed or mixed-up download. */
export async function copyKeyFileAs(key: SandboxKey, dir: string, name: string): Promise<string> {
  if (!key.p8Path) throw new Error('the sandbox was started without key files')
  const path = join(dir, name)
  await copyFile(key.p8Path, path)
  return path
}

export interface CheckInput {
  keyType?: 'team' | 'individual'
  issuerId?: string
  keyId: string
  role?: Role | null
}

export function checkRequest(
  draft: KeyDraft,
  input: CheckInput,
  checkId: string = randomUUID(),
): RequestOf<'keys:check'> {
  return {
    checkId,
    draftId: draft.draftId,
    keyType: input.keyType ?? 'team',
    issuerId: input.issuerId ?? '',
    keyId: input.keyId,
    role: input.role ?? null,
  }
}

export async function runCheck(
  app: TestApp,
  draft: KeyDraft,
  input: CheckInput,
): Promise<CheckReport> {
  return app.call('keys:check', checkRequest(draft, input))
}

/** The key the check failed on cannot be saved, and nothing reached the keychain or keys.json. */
export async function expectNothingSaved(app: TestApp, report: CheckReport): Promise<void> {
  expect(report.canSave).toBe(false)
  const saved = await app.invoke('keys:save', { checkId: report.checkId, name: 'Should not save' })
  expect(saved.ok ? null : saved.error.code).toBe('keys.check_failed')
  const state = await app.call('teams:list', undefined)
  expect(state.teams).toEqual([])
  expect(app.secrets.items.size).toBe(0)
}

/** A local server that answers every request with a Wi-Fi login page (200, HTML). */
export async function startCaptivePortal(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_request, response) => {
    const page = '<!doctype html><html><body><h1>Welcome to Hotel Wi-Fi</h1></body></html>'
    response.writeHead(200, { 'Content-Type': 'text/html', Date: new Date().toUTCString() })
    response.end(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A port on this machine where nothing listens: connections are refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
