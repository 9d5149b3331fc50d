/**
 * The demo's Chromium app window: started with the flags the machine needs, started once more
 * with --no-sandbox when its sandbox cannot start, and never gone without a word: every way it
 * can fail is said with what to do instead.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  browserName,
  diagnoseEarlyExit,
  describeFlags,
  windowArguments,
  windowEnvironment,
  writeProfile,
  type ChromiumFlag,
} from './browser'

export interface DemoWindowOptions {
  browser: string
  /** The page to open (it carries the run's token) and its origin. */
  url: string
  origin: string
  flags: ChromiumFlag[]
  /** More Chromium arguments from ASCENT_DEMO_CHROMIUM_ARGS, passed as given. */
  extraArgs: string[]
  /** Settles when a page has connected to the harness: the window shows Ascent. */
  pageOpened: Promise<void>
  say(line: string): void
  /** The person closed the window: the demo stops. */
  onClosed(): void
}

export interface DemoWindow {
  /** Closes the window (if open) and deletes its profile. */
  close(): Promise<void>
}

const STDERR_KEPT = 64 * 1024
const QUIT_SIGNALS = new Set(['SIGINT', 'SIGTERM', 'SIGHUP'])

export function openDemoWindow(options: DemoWindowOptions): DemoWindow {
  const name = browserName(options.browser)
  const openItYourself = `Ascent keeps running: open ${options.url} in a Chromium-based browser, or press Ctrl+C to stop.`
  let shown = false
  let closing = false
  let current: { child: ChildProcess; exited: Promise<void> } | null = null

  void options.pageOpened.then(() => {
    shown = true
    if (current && !closing) {
      options.say(`Ascent is open in a ${name} window. Close it, or press Ctrl+C here, to stop.`)
    }
  })

  const flagLine = describeFlags(options.flags)
  if (flagLine) options.say(flagLine)
  launch(options.flags.map(({ flag }) => flag))

  function launch(flags: string[]): void {
    const profile = mkdtempSync(join(tmpdir(), 'ascent-demo-browser-'))
    writeProfile(profile, options.origin)
    const args = windowArguments(options.url, profile, [...flags, ...options.extraArgs])
    const child = spawn(options.browser, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: windowEnvironment(),
    })
    let stderr = ''
    let spawnError: Error | null = null
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT)
    })
    child.on('error', (error) => {
      spawnError = error
    })
    const exited = new Promise<void>((resolve) => {
      child.on('close', (code, signal) => {
        rmSync(profile, { recursive: true, force: true })
        current = null
        resolve()
        if (closing) return
        if (spawnError) {
          options.say(
            `${name} (${options.browser}) did not start: ${spawnError.message}. ${openItYourself}`,
          )
          return
        }
        if (shown) {
          if (code === 0 || (signal && QUIT_SIGNALS.has(signal))) {
            options.onClosed()
            return
          }
          const last = diagnoseEarlyExit(stderr, flags).evidence
          options.say(
            `${name} exited (${code ?? signal})${last ? `: “${last}”` : ''}. ${openItYourself}`,
          )
          return
        }
        const diagnosis = diagnoseEarlyExit(stderr, flags)
        switch (diagnosis.kind) {
          case 'sandbox':
            options.say(
              `${name} could not start its sandbox (“${diagnosis.evidence}”), so it runs with --no-sandbox: the window shows only Ascent, served from 127.0.0.1.`,
            )
            launch([...flags, '--no-sandbox'])
            return
          case 'display':
            options.say(
              `${name} could not open a window on ${displayName()} (“${diagnosis.evidence}”). ${openItYourself} (--no-window skips the window.)`,
            )
            return
          case 'other':
            options.say(
              `${name} exited (${code ?? signal}) before showing Ascent${diagnosis.evidence ? `: “${diagnosis.evidence}”` : ''}. ${openItYourself} (ASCENT_CHROMIUM picks another browser.)`,
            )
        }
      })
    })
    current = { child, exited }
  }

  return {
    async close() {
      closing = true
      if (!current) return
      const { child, exited } = current
      child.kill('SIGTERM')
      await exited
    },
  }
}

function displayName(): string {
  if (process.env.WAYLAND_DISPLAY) return `Wayland display ${process.env.WAYLAND_DISPLAY}`
  return process.env.DISPLAY ? `display ${process.env.DISPLAY}` : 'this machine’s display'
}
