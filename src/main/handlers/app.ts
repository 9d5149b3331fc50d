import { AppError } from '../errors'
import type { HandlersOf } from '../ipc'
import { allowedExternalUrl } from '../links'
import { APPLE_API_BASE, type Platform } from '../platform'

export function appHandlers(platform: Platform): HandlersOf<'app'> {
  return {
    'app:info': () => ({
      version: platform.appVersion,
      electronVersion: process.versions.electron ?? null,
      platform: process.platform,
      apiBase: platform.apiBase,
      usesSandbox: platform.apiBase !== APPLE_API_BASE,
      secretStore: platform.secrets.backend,
      nativeMenus: platform.contextMenu !== undefined,
      dataDir: platform.dataDir,
    }),
    'app:openExternal': async ({ url }) => {
      const checked = allowedExternalUrl(url)
      if (!checked) {
        throw new AppError(
          'link.not_allowed',
          'Ascent only opens App Store Connect and Apple developer pages.',
        )
      }
      await platform.shell.openExternal(checked)
      return null
    },
  }
}
