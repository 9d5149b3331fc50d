import type { Logger } from './log'
import { redact } from './log'
import type { SettingsStore } from './settings'

/**
 * Updates of the released app from its GitHub releases. The engine (electron-updater in the
 * packaged app, which on macOS installs only an update signed like the running app) is passed in;
 * development builds and the browser harness have none, so they never update themselves.
 *
 * With `updates.enabled` on, Ascent checks quietly at launch and every 12 hours, downloads what
 * it finds, and offers to restart once it is ready (else it installs at quit). "Check for
 * Updates…" always asks, whatever the setting, and says what it found.
 */

export interface UpdateEngine {
  /** Asks the feed; the newer version found (its download starts), or null when up to date. */
  check(): Promise<{ version: string } | null>
  /** Called when a found update is downloaded and verified. Returns the unsubscribe. */
  onDownloaded(listener: (version: string) => void): () => void
  /** Quits and installs the downloaded update. */
  restartAndInstall(): void
}

/** What the user sees: native dialogs in the app. */
export interface UpdatePrompts {
  inform(message: { title: string; detail: string }): Promise<void>
  /** Resolves true to restart now. */
  offerRestart(version: string): Promise<boolean>
}

export interface UpdatesOptions {
  /** Null in development builds and the harness. */
  engine: UpdateEngine | null
  currentVersion: string
  settings: SettingsStore
  prompts: UpdatePrompts
  log: Logger
  /** Runs `task` every `ms`; returns the stop. Tests pass their own. */
  every?: (ms: number, task: () => void) => () => void
}

export interface Updates {
  /** Starts the quiet checks (if the setting is on) and follows the setting from then on. */
  start(): Promise<void>
  /** "Check for Updates…": asks now and tells the user what it found. */
  checkNow(): Promise<void>
  dispose(): void
}

export const CHECK_INTERVAL_MS = 12 * 60 * 60 * 1000

function everyInterval(ms: number, task: () => void): () => void {
  const timer = setInterval(task, ms)
  timer.unref()
  return () => clearInterval(timer)
}

export function createUpdates(options: UpdatesOptions): Updates {
  const { engine, prompts, log } = options
  const every = options.every ?? everyInterval
  let stopSchedule: (() => void) | null = null
  let stopFollowing: (() => void) | null = null
  let stopDownloaded: (() => void) | null = null
  let checking: Promise<{ version: string } | null> | null = null
  let downloaded: string | null = null
  let offered: string | null = null

  const offerRestart = async (version: string) => {
    offered = version
    if (await prompts.offerRestart(version)) engine?.restartAndInstall()
  }

  /** One request to the feed at a time; a second caller shares the first's answer. */
  const check = () => {
    if (!engine) return Promise.resolve(null)
    checking ??= engine.check().finally(() => {
      checking = null
    })
    return checking
  }

  const quietCheck = () => {
    void check().catch((error: unknown) =>
      log.warn('update check failed', { error: redact(String(error)) }),
    )
  }

  const schedule = (enabled: boolean) => {
    if (!engine) return
    if (enabled && !stopSchedule) {
      quietCheck()
      stopSchedule = every(CHECK_INTERVAL_MS, quietCheck)
    } else if (!enabled && stopSchedule) {
      stopSchedule()
      stopSchedule = null
    }
  }

  return {
    async start() {
      if (!engine) return
      stopDownloaded = engine.onDownloaded((version) => {
        downloaded = version
        // Offered once per version: the quiet checks find the same update again.
        if (offered !== version) void offerRestart(version)
      })
      stopFollowing = options.settings.onChange((settings) => schedule(settings.updates.enabled))
      schedule((await options.settings.get()).updates.enabled)
    },

    async checkNow() {
      if (!engine) {
        await prompts.inform({
          title: 'Updates come with the released app',
          detail:
            'This copy of Ascent was built from source, so it does not update itself. Released copies check GitHub for new versions.',
        })
        return
      }
      let found: { version: string } | null
      try {
        found = await check()
      } catch (error) {
        log.warn('update check failed', { error: redact(String(error)) })
        await prompts.inform({
          title: 'Ascent could not check for updates',
          detail:
            'GitHub could not be reached, or its answer could not be read. Check your connection and try again later.',
        })
        return
      }
      if (found && found.version === downloaded) {
        await offerRestart(found.version)
        return
      }
      await prompts.inform(
        found
          ? {
              title: `Ascent ${found.version} is available`,
              detail:
                'It is downloading now. Ascent will offer to restart when it is ready, or install it when you quit.',
            }
          : {
              title: 'Ascent is up to date',
              detail: `Ascent ${options.currentVersion} is the newest version.`,
            },
      )
    },

    dispose() {
      stopSchedule?.()
      stopFollowing?.()
      stopDownloaded?.()
      stopSchedule = stopFollowing = stopDownloaded = null
    },
  }
}
