/**
 * The radar over one hour: five saved teams, one key each, refreshed in the background by the
 * real main process against the Apple sandbox. Main's clock and timers and the sandbox's clock are
 * the bench's, so the hour passes in seconds and every scheduled pass runs as it would. Counted
 * per key, as Apple would see them: requests (target: the radar's budget, 5 % of a key's 3,600 an
 * hour) and tokens signed (target: at most 4; a token lives 20 minutes and is reused until then).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAscent } from '../../src/main/ascent'
import { silentLogger } from '../../src/main/log'
import type { Platform, Timer } from '../../src/main/platform'
import { DEFAULT_BACKGROUND_SETTINGS } from '../../src/main/radar'
import { saveSandboxTeams } from '../../test/main/browse-support'
import {
  backgroundPlatform,
  createFakeUserPresence,
  createMemoryClipboard,
} from '../../test/main/fakes'
import { startSandbox } from '../../test/sandbox/index'
import type { BenchFigure, BenchSection } from '../bench'

const HOUR_MS = 60 * 60_000
/** Apple's hourly allowance per key, of which the radar may take its share. */
const HOURLY_LIMIT = 3_600

/** Timers on the bench's clock: `runUntil` moves the clock from one due timer to the next. */
function createDrivenClock(start: number) {
  let now = start
  let next = 0
  const timers = new Map<number, { due: number; callback: () => void }>()
  const earliest = () => {
    let found: { id: number; due: number; callback: () => void } | null = null
    for (const [id, entry] of timers) if (!found || entry.due < found.due) found = { id, ...entry }
    return found
  }
  const timer: Timer = {
    after(ms, callback) {
      const id = (next += 1)
      timers.set(id, { due: now + ms, callback })
      return () => timers.delete(id)
    },
  }
  return {
    now: () => now,
    timer,
    /** Fires every timer due before `end` in order, awaiting `settle` after each; then `end`. */
    async runUntil(end: number, settle: () => Promise<void>) {
      for (;;) {
        // Main may still be setting a timer up (it reads its settings first): let it.
        for (let turn = 0; turn < 100 && earliest() === null; turn += 1) await yieldTurn()
        const found = earliest()
        if (!found || found.due > end) break
        timers.delete(found.id)
        now = Math.max(now, found.due)
        found.callback()
        await settle()
      }
      now = end
    },
  }
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

/** The key ID (`kid`) of a request's token, and the token itself, as Apple would see them. */
function tokenOf(init: RequestInit | undefined): { kid: string; token: string } | null {
  const header = new Headers(init?.headers).get('authorization')
  const token = header?.replace(/^Bearer /, '')
  if (!token) return null
  const [protectedHeader] = token.split('.')
  const { kid } = JSON.parse(Buffer.from(protectedHeader ?? '', 'base64url').toString()) as {
    kid: string
  }
  return { kid, token }
}

async function oneHour(): Promise<BenchFigure[]> {
  const clock = createDrivenClock(Date.now())
  const sandbox = await startSandbox({ now: clock.now, hourlyLimit: HOURLY_LIMIT })
  const picks = [
    { key: sandbox.findKey({ team: 'northwind', role: 'ADMIN' }), name: 'Northwind Labs' },
    { key: sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER' }), name: 'Northwind Release' },
    { key: sandbox.findKey({ team: 'northwind', role: 'DEVELOPER' }), name: 'Northwind Uploads' },
    { key: sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' }), name: 'Fabrikam CI' },
    { key: sandbox.findKey({ team: 'contoso' }), name: 'Contoso Games' },
  ]
  const saved = await saveSandboxTeams(picks)
  const homeDir = await mkdtemp(join(tmpdir(), 'ascent-bench-home-'))
  const tokens = new Map<string, Set<string>>()
  const platform: Platform = {
    secrets: saved.secrets,
    clipboard: createMemoryClipboard(),
    dialog: {
      chooseKeyFile: () => Promise.resolve(null),
      chooseSavePath: () => Promise.resolve(null),
    },
    shell: { openExternal: () => Promise.resolve() },
    fetch: (input, init) => {
      const seen = tokenOf(init)
      if (seen) tokens.set(seen.kid, (tokens.get(seen.kid) ?? new Set()).add(seen.token))
      return fetch(input, init)
    },
    now: clock.now,
    dataDir: saved.dataDir,
    apiBase: sandbox.url,
    appVersion: '0.0.0-bench',
    notify: () => undefined,
    log: silentLogger,
    userPresence: createFakeUserPresence(),
    timer: clock.timer,
    homeDir,
    ...backgroundPlatform(),
  }
  const ascent = createAscent(platform)
  try {
    sandbox.admin.resetRequestLog()
    const start = clock.now()
    await clock.runUntil(start + HOUR_MS, () => ascent.radar.idle())
    const log = sandbox.admin.requestLog()
    if (log.length === 0) throw new Error('the radar sent no request in the hour: nothing measured')
    const perKey = picks.map(({ key }) => ({
      requests: log.filter((entry) => entry.keyId === key.keyId).length,
      signatures: tokens.get(key.keyId)?.size ?? 0,
    }))
    const budget = Math.floor(
      (HOURLY_LIMIT * DEFAULT_BACKGROUND_SETTINGS.backgroundRefresh.budgetPercent) / 100,
    )
    const most = (figure: 'requests' | 'signatures') =>
      Math.max(...perKey.map((key) => key[figure]))
    return [
      {
        label: 'radar, 5 teams, one hour: requests per key (most)',
        value: most('requests'),
        unit: 'requests',
        target: { op: '<=', value: budget },
      },
      {
        label: 'radar, 5 teams, one hour: requests, all keys',
        value: log.length,
        unit: 'requests',
      },
      {
        label: 'radar, 5 teams, one hour: tokens signed per key (most)',
        value: most('signatures'),
        unit: 'tokens',
        target: { op: '<=', value: 4 },
      },
    ]
  } finally {
    await ascent.dispose()
    await saved.dispose()
    await rm(homeDir, { recursive: true, force: true })
    await sandbox.close()
  }
}

export const radarSection: BenchSection = { name: 'radar (driven clock)', run: oneHour }
