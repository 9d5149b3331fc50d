/**
 * `npm run demo`: Ascent's real UI and main-process modules in a Chromium app window, wired to
 * the Apple sandbox and to a private keyring started for the demo alone (run-with-keyring.js).
 * No Apple account needed; the user's own keyring is never touched. The harness stands in for
 * the desktop (test/harness/desktop.ts): a file picker, drops from the key folder, the browser's
 * clipboard, links printed here. Every failure to start says what failed and what to do.
 */
import { parseArgs } from 'node:util'
import { createLogger } from '../src/main/log'
import { startHarness, type Harness } from '../test/harness/server'
import { startSandbox, type Sandbox } from '../test/sandbox'
import { browserName, chromiumFlagsFor, findBrowser, hostFacts } from './demo/browser'
import { commandExists, nativePickerFor } from './demo/pickers'
import { demoIntro, keyFileNote } from './demo/walk'
import { openDemoWindow, type DemoWindow } from './demo/window'

const usage = `Usage: npm run demo -- [options]
  --latency MS        add MS of latency to every sandbox request (default 80)
  --port N            serve Ascent on 127.0.0.1:N (default: a free port)
  --picker KIND       what “Choose File…” opens: system (the system's file picker where there
                      is one, else a list in the window; the default) or window (the list)
  --no-window         print Ascent's address instead of opening a Chromium window
  --help              show this text
Environment: ASCENT_CHROMIUM names the browser; ASCENT_DEMO_CHROMIUM_ARGS adds Chromium flags
(e.g. --remote-debugging-port=9222 to inspect the window).`

let sandbox: Sandbox | null = null
let harness: Harness | null = null
let demoWindow: DemoWindow | null = null
let stopping = false

/** Stops what was started, in reverse, and exits; a second call leaves it to the first. */
async function stop(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  await demoWindow?.close()
  try {
    await harness?.close()
  } catch (error) {
    console.error(message(error))
    code = 1
  }
  await sandbox?.close()
  if (code === 0) console.log('The demo stopped; its key files and data are deleted.')
  process.exit(code)
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Prints what failed and what to do, cleans up, and exits with `code`. */
function fail(what: string, fix: string, code = 1): Promise<void> {
  console.error(`${what}\n${fix}`)
  return stop(code)
}

function whole(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new Error(`--${name} needs a whole number, not '${value}'`)
  return Number(value)
}

function hasDisplay(): boolean {
  return (
    process.platform === 'darwin' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
  )
}

async function main(): Promise<void> {
  let options: { latency: number; port: number | undefined; picker: string; noWindow: boolean }
  try {
    const { values } = parseArgs({
      options: {
        latency: { type: 'string', default: '80' },
        port: { type: 'string' },
        picker: { type: 'string', default: 'system' },
        'no-window': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    })
    if (values.help) {
      console.log(usage)
      return
    }
    if (values.picker !== 'system' && values.picker !== 'window') {
      throw new Error(`--picker is system or window, not '${values.picker}'`)
    }
    options = {
      latency: whole('latency', values.latency) ?? 80,
      port: whole('port', values.port),
      picker: values.picker,
      noWindow: values['no-window'],
    }
  } catch (error) {
    return fail(message(error), usage, 2)
  }

  if (process.platform === 'linux' && process.env.ASCENT_PRIVATE_KEYRING !== '1') {
    return fail(
      'The demo keeps its keys in a private keyring, and none is running.',
      'Start it with `npm run demo`, or `node test/run-with-keyring.js tsx scripts/demo.ts`.',
    )
  }

  try {
    sandbox = await startSandbox({ keyFiles: true, latencyMs: options.latency })
  } catch (error) {
    return fail(
      `The Apple sandbox did not start: ${message(error)}`,
      'Check that the checkout is complete (`npm ci`) and that the temp folder is writable.',
    )
  }
  const keyDir = sandbox.describe().keyDir ?? ''
  const teams = sandbox.teams
  const picker =
    options.picker === 'system'
      ? nativePickerFor(
          { platform: process.platform, hasDisplay: hasDisplay(), has: commandExists },
          keyDir,
        )
      : null

  let markPageOpen = () => {}
  const pageOpened = new Promise<void>((resolve) => (markPageOpen = resolve))
  try {
    harness = await startHarness({
      apiBase: sandbox.url,
      port: options.port,
      log: createLogger(),
      // On Linux the keys live in the demo's own keyring, deleted with it (run-with-keyring.js).
      keyringDiscarded: process.env.ASCENT_PRIVATE_KEYRING === '1',
      desktop: {
        keyFolders: [keyDir],
        describeKeyFile: (path) => keyFileNote(teams, path),
        nativePicker: picker?.pick,
        onOpenExternal: (url) => console.log(`→ Ascent would open ${url}`),
        onNotice: (notice) => console.log(`! ${notice}`),
        onPageOpen: () => markPageOpen(),
      },
    })
  } catch (error) {
    const text = message(error)
    const fix = text.includes('EADDRINUSE')
      ? `Port ${options.port} is taken: choose another with --port, or leave --port out.`
      : text.includes('npm run build')
        ? 'Start the demo with `npm run demo`: it builds first.'
        : 'Check that the checkout is complete (`npm ci`, then `npm run build`).'
    return fail(`Ascent’s harness did not start: ${text}`, fix)
  }

  console.log(
    demoIntro({
      sandboxUrl: sandbox.url,
      latencyMs: options.latency,
      keyDir,
      teams,
      bigApp: sandbox.fixtures.bigApp,
      commandKey: process.platform === 'darwin' ? '⌘' : 'Ctrl+',
      chooseFile: picker
        ? `opens ${picker.name} in that folder`
        : 'lists the key files in the window',
    }),
  )
  console.log(`\nAscent: ${harness.url}`)

  const openYourself = `open the address above in a Chromium-based browser on this machine (Chrome, Chromium, Edge).`
  const browser = findBrowser()
  if (options.noWindow) {
    console.log(`No window (--no-window): ${openYourself}`)
  } else if (!hasDisplay()) {
    console.log(
      `No display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so no window: ${openYourself}`,
    )
  } else if ('problem' in browser) {
    console.log(`${browser.problem}\nMeanwhile, ${openYourself}`)
  } else {
    demoWindow = openDemoWindow({
      browser: browser.path,
      url: harness.url,
      origin: harness.origin,
      flags: chromiumFlagsFor(hostFacts()),
      extraArgs: (process.env.ASCENT_DEMO_CHROMIUM_ARGS ?? '').split(/\s+/).filter(Boolean),
      pageOpened,
      say: (line) => console.log(line),
      onClosed: () => {
        console.log(`The ${browserName(browser.path)} window was closed: the demo stops.`)
        void stop(0)
      },
    })
  }
  if (!demoWindow) {
    void pageOpened.then(() => console.log('A browser opened Ascent. Press Ctrl+C to stop.'))
    console.log('Press Ctrl+C to stop.')
  }
}

process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
process.on('uncaughtException', (error) => {
  console.error(`The demo stopped on an unexpected error: ${error.stack ?? message(error)}`)
  void stop(1)
})
main().catch((error: unknown) => {
  if (stopping) return
  console.error(`The demo stopped on an unexpected error: ${message(error)}`)
  void stop(1)
})
