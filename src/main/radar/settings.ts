/**
 * The settings the radar and the notifications follow, read through a small source so they do
 * not depend on where settings live: the settings store passes itself (`settings.json`, changed
 * from the Settings window); tests pass fixed ones.
 */

export interface BackgroundSettings {
  backgroundRefresh: {
    enabled: boolean
    /** Percent of Apple's hourly allowance per key the radar may use (1–50). */
    budgetPercent: number
  }
  /** Which events may raise a notification. */
  notifications: Record<NotificationKind, boolean>
}

export type NotificationKind = 'buildProcessed' | 'complianceNeeded' | 'expiringSoon' | 'keyStopped'

export interface SettingsSource {
  get(): Promise<BackgroundSettings>
  /** Called after every saved change; returns the unsubscribe. */
  onChange(listener: (settings: BackgroundSettings) => void): () => void
}

export const DEFAULT_BACKGROUND_SETTINGS: BackgroundSettings = {
  backgroundRefresh: { enabled: true, budgetPercent: 5 },
  notifications: {
    buildProcessed: true,
    complianceNeeded: true,
    expiringSoon: true,
    keyStopped: true,
  },
}

/** Settings that a test (or a tool without a settings file) changes by hand. */
export function fixedSettings(
  initial: BackgroundSettings = DEFAULT_BACKGROUND_SETTINGS,
): SettingsSource & { set(settings: BackgroundSettings): void } {
  let current = structuredClone(initial)
  const listeners = new Set<(settings: BackgroundSettings) => void>()
  return {
    get: () => Promise.resolve(current),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    set(settings) {
      current = structuredClone(settings)
      for (const listener of listeners) listener(current)
    },
  }
}
