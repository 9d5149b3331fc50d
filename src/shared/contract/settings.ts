import { z } from 'zod'
import { event, operation } from './define'
import type { Notice } from './teams'

/**
 * The user's settings, kept by main in `settings.json` (src/main/settings.ts). Every field has a
 * default there. Some are reserved ahead of the features that read them, so adding those
 * features does not change the file's version.
 */

const appearance = z.enum(['system', 'light', 'dark'])

const updates = z
  .object({
    /** Check GitHub for a newer release at launch and twice a day (released app only). */
    enabled: z.boolean(),
  })
  .strict()

/** The most of Apple's hourly allowance per key that quiet refreshes may use, in percent. */
export const BACKGROUND_REFRESH_BUDGET = { min: 1, max: 50 } as const

const backgroundRefresh = z
  .object({
    enabled: z.boolean(),
    /** Percent of Apple's hourly request allowance per key (1–50). */
    budgetPercent: z
      .number()
      .int()
      .min(BACKGROUND_REFRESH_BUDGET.min)
      .max(BACKGROUND_REFRESH_BUDGET.max),
  })
  .strict()

/** Which events may raise a macOS notification. */
const notifications = z
  .object({
    buildProcessed: z.boolean(),
    complianceNeeded: z.boolean(),
    expiringSoon: z.boolean(),
    keyStopped: z.boolean(),
  })
  .strict()

export const settingsSchema = z
  .object({ appearance, updates, backgroundRefresh, notifications })
  .strict()

export type Settings = z.infer<typeof settingsSchema>
export type Appearance = Settings['appearance']

/**
 * A change to some settings: any top-level field, and any field of a group, left out stays as
 * it is. It names at least one setting.
 */
export const settingsPatch = z
  .object({
    appearance: appearance.optional(),
    updates: updates.partial().optional(),
    backgroundRefresh: backgroundRefresh.partial().optional(),
    notifications: notifications.partial().optional(),
  })
  .strict()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'Name at least one setting to change',
  })

export type SettingsPatch = z.input<typeof settingsPatch>

export interface SettingsState {
  settings: Settings
  /**
   * Set when settings.json could not be used at start-up (damaged, unreadable, or written by a
   * newer Ascent) and the defaults are in force: codes `settings.reset_corrupt`,
   * `settings.reset_newer`, `settings.unreadable`.
   */
  notice: Notice | null
}

export const settingsOperations = {
  'settings:get': operation<SettingsState>()(z.undefined()),
  /** Saves a partial change; answers the settings now in force. */
  'settings:update': operation<Settings>()(settingsPatch),
}

export const settingsEvents = {
  /** After every saved change, whoever made it (this window, a menu, main itself). */
  'settings:changed': event<Settings>(),
}
