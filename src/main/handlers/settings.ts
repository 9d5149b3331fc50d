import type { HandlersOf } from '../ipc'
import type { SettingsStore } from '../settings'

/** The user's settings: read them (with any start-up notice), change some of them. */
export function settingsHandlers(settings: SettingsStore): HandlersOf<'settings'> {
  return {
    'settings:get': () => settings.state(),
    'settings:update': (patch) => settings.update(patch),
  }
}
