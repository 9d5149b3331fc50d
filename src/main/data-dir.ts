import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

/**
 * Ascent's data folder (keys.json, the cache): Electron's `userData` for the app named "Ascent",
 * i.e. `~/Library/Application Support/Ascent` on a Mac, `$XDG_CONFIG_HOME/Ascent` (or
 * `~/.config/Ascent`) on Linux, `%APPDATA%\Ascent` on Windows. `ASCENT_DATA_DIR` overrides it,
 * for the app and the command line alike.
 */

export const APP_FOLDER_NAME = 'Ascent'

export type DataDirEnvironment = Record<string, string | undefined>

/** `ASCENT_DATA_DIR` when set (relative to `cwd`), else `fallback`. */
export function dataDirOverride(
  env: DataDirEnvironment,
  fallback: string,
  cwd = process.cwd(),
): string {
  const override = env.ASCENT_DATA_DIR?.trim()
  if (!override) return fallback
  return isAbsolute(override) ? override : resolve(cwd, override)
}

/** Where Electron puts the app's `userData`, worked out without Electron (for `ascent`). */
export function defaultDataDir(
  env: DataDirEnvironment,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER_NAME)
  if (platform === 'win32') {
    return join(env.APPDATA?.trim() || join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME)
  }
  const config = env.XDG_CONFIG_HOME?.trim()
  return join(config && isAbsolute(config) ? config : join(home, '.config'), APP_FOLDER_NAME)
}
