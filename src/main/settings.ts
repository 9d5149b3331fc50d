import * as nodeFs from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import type { Notice } from '../shared/contract'
import {
  settingsPatch,
  settingsSchema,
  type Settings,
  type SettingsPatch,
  type SettingsState,
} from '../shared/contract/settings'
import { AppError, errorCode } from './errors'
import { fileTimestamp, removeStaleTempFiles, writeFileAtomic, type AtomicFs } from './files'
import type { Logger } from './log'

/**
 * The user's settings: `<dataDir>/settings.json`, versioned, written atomically and private to
 * the user (0600). Loaded once, on first use, and checked against the schema in
 * src/shared/contract/settings.ts. A file that cannot be used (damaged, unreadable, or from a
 * newer Ascent) is set aside next to it, never overwritten, and the defaults apply with a notice
 * for the renderer. Changes are partial, checked, saved before they take effect, and one at a
 * time; each saved change reaches every `onChange` listener (and the window, as
 * `settings:changed`).
 */

export const SETTINGS_FILE = 'settings.json'
/** Bump only for a change old versions would misread; add fields with a default instead. */
export const SETTINGS_VERSION = 1

export const DEFAULT_SETTINGS: Settings = {
  appearance: 'system',
  updates: { enabled: true },
  backgroundRefresh: { enabled: true, budgetPercent: 5 },
  notifications: {
    buildProcessed: true,
    complianceNeeded: true,
    expiringSoon: true,
    keyStopped: true,
  },
}

/**
 * The file as written: the version and every setting. A field missing from a file of this
 * version takes its default (a file from before the field existed); a field of the wrong type,
 * or one this version does not know, makes the file unusable.
 */
const settingsFile = z
  .object({
    version: z.literal(SETTINGS_VERSION),
    appearance: settingsSchema.shape.appearance.default(DEFAULT_SETTINGS.appearance),
    updates: settingsSchema.shape.updates.default(DEFAULT_SETTINGS.updates),
    backgroundRefresh: settingsSchema.shape.backgroundRefresh.default(
      DEFAULT_SETTINGS.backgroundRefresh,
    ),
    notifications: settingsSchema.shape.notifications.default(DEFAULT_SETTINGS.notifications),
  })
  .strict()

export type SettingsFs = AtomicFs & Pick<typeof nodeFs, 'readFile' | 'mkdir'>

export interface SettingsOptions {
  dataDir: string
  now: () => number
  log: Logger
  /** File operations; tests pass a wrapper that fails on purpose. */
  fs?: SettingsFs
}

export interface SettingsStore {
  /** The settings in force, and why they are the defaults if the file could not be used. */
  state(): Promise<SettingsState>
  get(): Promise<Settings>
  /**
   * Checks, saves, then applies a partial change; answers the settings now in force. Throws
   * `settings.write_failed` (and changes nothing) when the file cannot be written.
   */
  update(patch: SettingsPatch): Promise<Settings>
  /** Called after every saved change that changed something; returns the unsubscribe. */
  onChange(listener: (settings: Settings) => void): () => void
}

interface Loaded {
  settings: Settings
  notice: Notice | null
  /** False when the file could neither be read nor set aside: it must not be overwritten. */
  writable: boolean
}

export function createSettings(options: SettingsOptions): SettingsStore {
  const fs = options.fs ?? nodeFs
  const path = join(options.dataDir, SETTINGS_FILE)
  const listeners = new Set<(settings: Settings) => void>()
  let loading: Promise<Loaded> | null = null
  // Changes are applied one after another, each on the result of the last.
  let queue: Promise<unknown> = Promise.resolve()

  const loaded = () => (loading ??= loadSettings(path, options, fs))

  async function apply(patch: SettingsPatch): Promise<Settings> {
    const change = settingsPatch.parse(patch)
    const current = await loaded()
    const next = settingsSchema.parse({
      appearance: change.appearance ?? current.settings.appearance,
      updates: { ...current.settings.updates, ...change.updates },
      backgroundRefresh: { ...current.settings.backgroundRefresh, ...change.backgroundRefresh },
      notifications: { ...current.settings.notifications, ...change.notifications },
    })
    if (JSON.stringify(next) === JSON.stringify(current.settings)) return current.settings
    if (!current.writable) {
      throw new AppError(
        'settings.write_failed',
        `Ascent cannot save settings: ${SETTINGS_FILE} in its data folder could not be read or moved aside. Nothing was changed.`,
      )
    }
    try {
      await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 })
      await writeFileAtomic(
        path,
        `${JSON.stringify({ version: SETTINGS_VERSION, ...next }, null, 2)}\n`,
        fs,
      )
    } catch (error) {
      options.log.error('could not save settings', { code: errorCode(error) ?? 'unknown' })
      throw new AppError(
        'settings.write_failed',
        `Ascent could not save settings (${errorCode(error) ?? 'write error'}). Nothing was changed; check that your disk has space and try again.`,
      )
    }
    current.settings = next
    for (const listener of listeners) {
      try {
        listener(next)
      } catch (error) {
        options.log.error('a settings listener failed', { error: String(error) })
      }
    }
    return next
  }

  return {
    state: async () => {
      const { settings, notice } = await loaded()
      return { settings, notice }
    },
    get: async () => (await loaded()).settings,
    update: (patch) => {
      const result = queue.then(() => apply(patch))
      queue = result.catch(() => undefined)
      return result
    },
    onChange: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

async function loadSettings(
  path: string,
  options: SettingsOptions,
  fs: SettingsFs,
): Promise<Loaded> {
  const defaults = (notice: Notice | null, writable = true): Loaded => ({
    settings: structuredClone(DEFAULT_SETTINGS),
    notice,
    writable,
  })
  await removeStaleTempFiles(path, fs)
  let text: string
  try {
    text = await fs.readFile(path, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return defaults(null)
    const aside = await setAside(path, 'unreadable', options, fs)
    options.log.warn('settings file unreadable', { code: errorCode(error) ?? 'unknown', aside })
    return defaults(
      {
        code: 'settings.unreadable',
        message: aside
          ? `Ascent could not read its settings file, so it started with the default settings. The file was kept as ${aside}.`
          : `Ascent could not read its settings file, so it is using the default settings, and changes to them cannot be saved. Check the permissions of ${SETTINGS_FILE} in Ascent’s data folder.`,
      },
      aside !== null,
    )
  }

  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const version = (parsed as { version?: unknown } | undefined)?.version
  if (typeof version === 'number' && version > SETTINGS_VERSION) {
    const aside = await setAside(path, 'newer', options, fs)
    options.log.warn('settings file from a newer version', { version, aside })
    return defaults(
      {
        code: 'settings.reset_newer',
        message: `Your settings were saved by a newer version of Ascent, which this version cannot read, so it started with the default settings.${aside ? ` The newer file was kept as ${aside}.` : ''}`,
      },
      aside !== null,
    )
  }
  const checked = settingsFile.safeParse(parsed)
  if (checked.success) {
    const { version: _version, ...settings } = checked.data
    return { settings, notice: null, writable: true }
  }
  const aside = await setAside(path, 'corrupt', options, fs)
  options.log.warn('settings file damaged', { aside })
  return defaults(
    {
      code: 'settings.reset_corrupt',
      message: `Your settings file was damaged, so Ascent started with the default settings.${aside ? ` The damaged file was kept as ${aside}.` : ''}`,
    },
    aside !== null,
  )
}

/** Moves the file out of the way, keeping it for the user; the new name, or null if it stayed. */
async function setAside(
  path: string,
  why: 'corrupt' | 'newer' | 'unreadable',
  options: SettingsOptions,
  fs: SettingsFs,
): Promise<string | null> {
  const name = `${basename(path)}.${why}-${fileTimestamp(options.now())}`
  try {
    await fs.rename(path, join(dirname(path), name))
    return name
  } catch {
    return null
  }
}
