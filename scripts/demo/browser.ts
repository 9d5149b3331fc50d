/**
 * The demo's window: which Chromium, with which flags, and what its stderr says when it dies
 * before showing Ascent. The choices are pure functions of the machine's facts, so tests can ask
 * "as root?" without being root.
 */
import { existsSync, mkdirSync, statfsSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, join } from 'node:path'

/** Below this much free /dev/shm Chromium's renderers crash (Docker gives 64 MiB). */
const MIN_DEV_SHM_BYTES = 512 * 1024 * 1024

export interface BrowserHost {
  platform: NodeJS.Platform
  /** The effective user ID; null where there is none. */
  uid: number | null
  /** Free bytes in /dev/shm; null when there is no /dev/shm (Linux only). */
  devShmFreeBytes: number | null
}

export interface ChromiumFlag {
  flag: string
  /** Why the demo adds it, as the one line it prints says. */
  reason: string
}

export function hostFacts(): BrowserHost {
  let devShmFreeBytes: number | null = null
  if (process.platform === 'linux') {
    try {
      const shm = statfsSync('/dev/shm')
      devShmFreeBytes = shm.bavail * shm.bsize
    } catch {
      devShmFreeBytes = null
    }
  }
  return { platform: process.platform, uid: process.geteuid?.() ?? null, devShmFreeBytes }
}

/** The flags this machine needs before Chromium has said anything. */
export function chromiumFlagsFor(host: BrowserHost): ChromiumFlag[] {
  if (host.platform !== 'linux') return []
  const flags: ChromiumFlag[] = []
  if (host.uid === 0) {
    flags.push({
      flag: '--no-sandbox',
      reason: 'you are root, and Chromium’s sandbox refuses root',
    })
  }
  if (host.devShmFreeBytes === null) {
    flags.push({ flag: '--disable-dev-shm-usage', reason: 'there is no /dev/shm' })
  } else if (host.devShmFreeBytes < MIN_DEV_SHM_BYTES) {
    const mib = Math.floor(host.devShmFreeBytes / (1024 * 1024))
    flags.push({
      flag: '--disable-dev-shm-usage',
      reason: `/dev/shm has ${mib} MiB free, as in a container`,
    })
  }
  return flags
}

/** The one line the demo prints about the flags it added; null when it added none. */
export function describeFlags(flags: ChromiumFlag[]): string | null {
  if (flags.length === 0) return null
  const parts = flags.map(({ flag, reason }) => `${flag} (${reason})`)
  return `Chromium runs with ${parts.join(' and ')}.`
}

export type EarlyExit =
  /** The sandbox could not start: worth one more try with --no-sandbox. */
  | { kind: 'sandbox'; evidence: string }
  | { kind: 'display'; evidence: string }
  | { kind: 'other'; evidence: string | null }

const SANDBOX_FAILURE =
  /No usable sandbox|Running as root without --no-sandbox|setuid sandbox|Failed to move to new namespace/i
const DISPLAY_FAILURE =
  /Missing X server|cannot open display|Authorization required|Failed to connect to Wayland|The platform failed to initialize/i

/** What Chromium's stderr says about why it exited before the page connected. */
export function diagnoseEarlyExit(stderr: string, flags: string[]): EarlyExit {
  const lines = stderr.split('\n').map((line) => line.trim())
  const find = (pattern: RegExp) => lines.find((line) => pattern.test(line))
  const sandbox = find(SANDBOX_FAILURE)
  if (sandbox && !flags.includes('--no-sandbox')) return { kind: 'sandbox', evidence: sandbox }
  const display = find(DISPLAY_FAILURE)
  if (display) return { kind: 'display', evidence: display }
  return { kind: 'other', evidence: sandbox ?? lines.filter(Boolean).at(-1) ?? null }
}

const macApp = (root: string, name: string, binary: string) =>
  join(root, 'Applications', `${name}.app`, 'Contents', 'MacOS', binary)

export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  ...['/', homedir()].flatMap((root) => [
    macApp(root, 'Google Chrome', 'Google Chrome'),
    macApp(root, 'Chromium', 'Chromium'),
  ]),
]

export type BrowserChoice = { path: string } | { problem: string }

/** ASCENT_CHROMIUM (or CHROMIUM_PATH) if set, else the first Chromium or Chrome installed. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserChoice {
  const override = env.ASCENT_CHROMIUM || env.CHROMIUM_PATH
  if (override) {
    return existsSync(override)
      ? { path: override }
      : {
          problem: `ASCENT_CHROMIUM (or CHROMIUM_PATH) is ${override}, and there is no file there.`,
        }
  }
  const found = BROWSER_CANDIDATES.find((candidate) => existsSync(candidate))
  if (found) return { path: found }
  return {
    problem: `No Chromium or Google Chrome found (looked in ${BROWSER_CANDIDATES.join(', ')}). Install one (Debian: apt-get install chromium), or set ASCENT_CHROMIUM to a Chromium-based browser.`,
  }
}

/** "Chromium", "Google Chrome": what the demo calls the browser at `path`. */
export function browserName(path: string): string {
  const file = basename(path)
  if (/^chromium(-browser)?$/i.test(file)) return 'Chromium'
  if (/^google-chrome/i.test(file)) return 'Google Chrome'
  return file
}

/**
 * The window's environment: the session bus the demo was started from (run-with-keyring.js keeps
 * it aside), not the demo's private one, so the browser's own D-Bus traffic (accessibility,
 * portals) goes where the desktop expects it and never to the demo's keyring.
 */
export function windowEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (env.ASCENT_PRIVATE_KEYRING !== '1') return env
  const { ASCENT_OUTER_DBUS_SESSION_BUS_ADDRESS: outer, ...rest } = env
  return { ...rest, DBUS_SESSION_BUS_ADDRESS: outer || 'disabled:' }
}

/**
 * A fresh profile in which the page may read the clipboard without asking: the demo's paste reads
 * it through the page (test/harness/desktop.ts), and a permission prompt would stand between ⌘V
 * and the key. Granted to the harness's own origin only.
 */
export function writeProfile(profile: string, origin: string): void {
  mkdirSync(join(profile, 'Default'), { recursive: true })
  const preferences = {
    profile: {
      content_settings: { exceptions: { clipboard: { [`${origin},*`]: { setting: 1 } } } },
    },
  }
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences))
}

/** Arguments for an app window on `url`, quiet and apart from the user's own browser profile. */
export function windowArguments(url: string, profile: string, flags: string[]): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--window-size=1100,720',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Chromium would otherwise keep its cookie key in the (demo's private) keyring.
    '--password-store=basic',
    ...flags,
  ]
}
