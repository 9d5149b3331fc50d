/**
 * The demo's window never goes without a word: the flags it adds are said and passed, a sandbox
 * that cannot start gets one more try with --no-sandbox, a missing display or a crash is said with
 * what to do, closing the window stops the demo, and closing the demo ends the window and deletes
 * its profile. The browser is fake-browser.mjs, which records how it was started.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChromiumFlag } from '../../../scripts/demo/browser'
import { openDemoWindow, type DemoWindow } from '../../../scripts/demo/window'

const fakeBrowser = fileURLToPath(new URL('./fake-browser.mjs', import.meta.url))
const ROOT_FLAG: ChromiumFlag = { flag: '--no-sandbox', reason: 'you are root' }

let server: Server
let folder: string
let open: DemoWindow | null

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-demo-window-test-'))
  open = null
})

afterEach(async () => {
  await open?.close()
  server.close()
  await rm(folder, { recursive: true, force: true })
})

interface Launch {
  args: string[]
  preferences: { profile: { content_settings: { exceptions: Record<string, unknown> } } } | null
}

/** Opens the fake browser in `mode` on a page whose first request counts as "Ascent is open". */
async function start(mode: string, options: { flags?: ChromiumFlag[]; browser?: string } = {}) {
  let pageOpened = () => {}
  const opened = new Promise<void>((resolve) => (pageOpened = resolve))
  server = createServer((_request, response) => {
    pageOpened()
    response.end('Ascent')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const url = `${origin}/?token=t`
  const record = join(folder, 'launches.jsonl')
  const said: string[] = []
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = []
  let closed = () => {}
  const windowClosed = new Promise<void>((resolve) => (closed = resolve))
  open = openDemoWindow({
    browser: options.browser ?? fakeBrowser,
    url,
    origin,
    flags: options.flags ?? [],
    extraArgs: [`--fake-mode=${mode}`, `--fake-record=${record}`],
    pageOpened: opened,
    say: (line) => {
      said.push(line)
      for (const waiter of waiting.filter((candidate) => candidate.pattern.test(line))) {
        waiting.splice(waiting.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    },
    onClosed: () => closed(),
  })
  return {
    url,
    origin,
    said,
    windowClosed,
    line: (pattern: RegExp) =>
      new Promise<string>((resolve) => {
        const already = said.find((line) => pattern.test(line))
        if (already) resolve(already)
        else waiting.push({ pattern, resolve })
      }),
    launches: (): Launch[] =>
      existsSync(record)
        ? readFileSync(record, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as Launch)
        : [],
  }
}

const profileOf = (launch: Launch | undefined) =>
  launch?.args.find((arg) => arg.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length)

describe('the demo window', () => {
  it('says the flags it adds and passes them, in a profile that may read the clipboard', async () => {
    const demo = await start('open', { flags: [ROOT_FLAG] })
    await demo.line(/^Ascent is open in a fake-browser\.mjs window/)
    expect(demo.said[0]).toBe('Chromium runs with --no-sandbox (you are root).')
    const [launch, ...more] = demo.launches()
    expect(more).toEqual([])
    expect(launch?.args).toEqual(
      expect.arrayContaining([`--app=${demo.url}`, '--no-sandbox', '--password-store=basic']),
    )
    expect(launch?.preferences?.profile.content_settings.exceptions).toEqual({
      clipboard: { [`${demo.origin},*`]: { setting: 1 } },
    })

    await open?.close()
    expect(existsSync(profileOf(launch) ?? '')).toBe(false)
  })

  it('tries once more with --no-sandbox when the sandbox cannot start, and says so', async () => {
    const demo = await start('sandbox')
    await demo.line(/^Ascent is open/)
    expect(demo.said[0]).toBe(
      'fake-browser.mjs could not start its sandbox (“FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! Update your kernel.”), so it runs with --no-sandbox: the window shows only Ascent, served from 127.0.0.1.',
    )
    const [first, second] = demo.launches()
    expect(first?.args).not.toContain('--no-sandbox')
    expect(second?.args).toContain('--no-sandbox')
    expect(existsSync(profileOf(first) ?? '')).toBe(false)
  })

  it('without a display, says so and how to go on, and does not stop the demo', async () => {
    const demo = await start('no-display')
    const line = await demo.line(/could not open a window/)
    expect(line).toContain(
      '“ERROR:ui/ozone/platform/x11/ozone_platform_x11.cc:257] Missing X server or $DISPLAY”',
    )
    expect(line).toContain(
      `Ascent keeps running: open ${demo.url} in a Chromium-based browser, or press Ctrl+C to stop. (--no-window skips the window.)`,
    )
    expect(demo.launches()).toHaveLength(1)
  })

  it('when it dies before showing Ascent, gives its last words and the address to open', async () => {
    const demo = await start('crash')
    const line = await demo.line(/exited/)
    expect(line).toBe(
      `fake-browser.mjs exited (5) before showing Ascent: “Trace/breakpoint trap”. Ascent keeps running: open ${demo.url} in a Chromium-based browser, or press Ctrl+C to stop. (ASCENT_CHROMIUM picks another browser.)`,
    )
    expect(demo.launches()).toHaveLength(1)
  })

  it('stops the demo when the person closes the window', async () => {
    const demo = await start('open-then-close')
    await demo.windowClosed
    expect(demo.said.some((line) => line.includes('exited'))).toBe(false)
  })

  it('after a crash, gives its last words and the address to open', async () => {
    const demo = await start('open-then-crash')
    const line = await demo.line(/exited/)
    expect(line).toBe(
      `fake-browser.mjs exited (5): “Trace/breakpoint trap”. Ascent keeps running: open ${demo.url} in a Chromium-based browser, or press Ctrl+C to stop.`,
    )
  })

  it('a browser that will not start is named', async () => {
    const demo = await start('open', { browser: join(folder, 'no-such-browser') })
    const line = await demo.line(/did not start/)
    expect(line).toContain(`no-such-browser (${join(folder, 'no-such-browser')}) did not start:`)
    expect(line).toContain('ENOENT')
  })
})
