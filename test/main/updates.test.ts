import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/main/log'
import { createSettings, type SettingsStore } from '../../src/main/settings'
import {
  CHECK_INTERVAL_MS,
  createUpdates,
  type UpdateEngine,
  type UpdatePrompts,
  type Updates,
} from '../../src/main/updates'

interface FakeEngine extends UpdateEngine {
  checks: number
  installs: number
  /** What the next check finds. */
  next: { version: string } | null | Error
  finishDownload(version: string): void
}

function fakeEngine(): FakeEngine {
  const listeners = new Set<(version: string) => void>()
  const engine: FakeEngine = {
    checks: 0,
    installs: 0,
    next: null,
    check: () => {
      engine.checks += 1
      const { next } = engine
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next)
    },
    onDownloaded: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    restartAndInstall: () => {
      engine.installs += 1
    },
    finishDownload: (version) => {
      for (const listener of listeners) listener(version)
    },
  }
  return engine
}

interface FakePrompts extends UpdatePrompts {
  told: { title: string; detail: string }[]
  offers: string[]
  restart: boolean
}

function fakePrompts(): FakePrompts {
  const prompts: FakePrompts = {
    told: [],
    offers: [],
    restart: false,
    inform: (message) => {
      prompts.told.push(message)
      return Promise.resolve()
    },
    offerRestart: (version) => {
      prompts.offers.push(version)
      return Promise.resolve(prompts.restart)
    },
  }
  return prompts
}

/** A schedule the test runs by hand. */
function manualSchedule() {
  const tasks = new Map<number, () => void>()
  let id = 0
  return {
    every: (ms: number, task: () => void) => {
      expect(ms).toBe(CHECK_INTERVAL_MS)
      const key = (id += 1)
      tasks.set(key, task)
      return () => tasks.delete(key)
    },
    tick: () => tasks.forEach((task) => task()),
    get active() {
      return tasks.size
    },
  }
}

/** Lets pending promise callbacks run. */
const settled = () => new Promise((resolve) => setImmediate(resolve))

let dataDir: string
let settings: SettingsStore
let updates: Updates | null = null

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ascent-updates-'))
  settings = createSettings({ dataDir, now: () => 0, log: silentLogger })
})

afterEach(async () => {
  updates?.dispose()
  updates = null
  await rm(dataDir, { recursive: true, force: true })
})

function start(
  engine: UpdateEngine | null,
  prompts: UpdatePrompts,
  every = manualSchedule().every,
) {
  updates = createUpdates({
    engine,
    currentVersion: '1.2.0',
    settings,
    prompts,
    log: silentLogger,
    every,
  })
  return updates
}

describe('updates', () => {
  it('never checks in development builds and the harness, and says why when asked', async () => {
    const prompts = fakePrompts()
    const schedule = manualSchedule()
    const updates = start(null, prompts, schedule.every)
    await updates.start()
    expect(schedule.active).toBe(0)
    await updates.checkNow()
    expect(prompts.told).toEqual([
      expect.objectContaining({ title: 'Updates come with the released app' }),
    ])
  })

  it('checks quietly at launch and every 12 hours while the setting is on', async () => {
    const engine = fakeEngine()
    const prompts = fakePrompts()
    const schedule = manualSchedule()
    await start(engine, prompts, schedule.every).start()
    expect(engine.checks).toBe(1)
    schedule.tick()
    await settled()
    expect(engine.checks).toBe(2)
    // A failed quiet check tells nobody; the next one still runs.
    engine.next = new Error('getaddrinfo ENOTFOUND github.com')
    schedule.tick()
    await settled()
    expect(prompts.told).toEqual([])
    expect(engine.checks).toBe(3)
  })

  it('follows the Settings switch: off stops the checks, on starts them again', async () => {
    const engine = fakeEngine()
    const schedule = manualSchedule()
    await settings.update({ updates: { enabled: false } })
    await start(engine, fakePrompts(), schedule.every).start()
    expect(engine.checks).toBe(0)
    expect(schedule.active).toBe(0)
    await settings.update({ updates: { enabled: true } })
    expect(engine.checks).toBe(1)
    expect(schedule.active).toBe(1)
    await settings.update({ updates: { enabled: false } })
    expect(schedule.active).toBe(0)
  })

  it('checks on request even with the setting off, and says what it found', async () => {
    const engine = fakeEngine()
    const prompts = fakePrompts()
    await settings.update({ updates: { enabled: false } })
    const updates = start(engine, prompts)
    await updates.start()
    await updates.checkNow()
    expect(prompts.told.at(-1)).toEqual({
      title: 'Ascent is up to date',
      detail: 'Ascent 1.2.0 is the newest version.',
    })
    engine.next = { version: '1.3.0' }
    await updates.checkNow()
    expect(prompts.told.at(-1)?.title).toBe('Ascent 1.3.0 is available')
    engine.next = new Error('HttpError: 404')
    await updates.checkNow()
    expect(prompts.told.at(-1)?.title).toBe('Ascent could not check for updates')
    expect(engine.checks).toBe(3)
  })

  it('offers to restart once per downloaded version, and installs only when told to', async () => {
    const engine = fakeEngine()
    const prompts = fakePrompts()
    const updates = start(engine, prompts)
    await updates.start()
    engine.finishDownload('1.3.0')
    engine.finishDownload('1.3.0')
    await settled()
    expect(prompts.offers).toEqual(['1.3.0'])
    expect(engine.installs).toBe(0)
    // Asked again by hand once it is ready: the offer comes back, and now the user accepts.
    prompts.restart = true
    engine.next = { version: '1.3.0' }
    await updates.checkNow()
    expect(prompts.offers).toEqual(['1.3.0', '1.3.0'])
    expect(engine.installs).toBe(1)
  })

  it('shares one request to the feed between checks that overlap', async () => {
    const engine = fakeEngine()
    let answer: (found: null) => void = () => undefined
    engine.check = () => {
      engine.checks += 1
      return new Promise((resolve) => (answer = resolve))
    }
    const prompts = fakePrompts()
    const updates = start(engine, prompts)
    await updates.start()
    const asked = updates.checkNow()
    answer(null)
    await asked
    expect(engine.checks).toBe(1)
    expect(prompts.told).toHaveLength(1)
  })
})
