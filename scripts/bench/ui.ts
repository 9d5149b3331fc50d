/**
 * Browsing as the user sees it: the real renderer in Chromium through the browser harness, main's
 * modules in this process, the sandbox at 100 ms per request. Times run from the key press, click
 * or first wheel turn to the frame that shows the rows, measured in the page; requests are those
 * that reached the sandbox before that frame.
 *
 * Teams: Fabrikam (opened at start, so the page and the sandbox are warm), Northwind (30 apps,
 * the 5,000-build app), Contoso (unsigned agreements). The 5,000-build app is opened cold twice,
 * each time in a fresh harness: once to press End from its first screen, once to wheel through
 * its first pages.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startHarness } from '../../test/harness/server'
import { saveSandboxTeams } from '../../test/main/browse-support'
import { startSandbox, type Sandbox } from '../../test/sandbox/index'
import type { BenchFigure, BenchSection } from '../bench'

const LATENCY_MS = 100
const MAX_ROWS = 150
const SCROLL_STOPS = 60
const PAGE = 200
/** Pages wheeled through after the first screen. */
const WHEEL_PAGES = 4
const WHEEL_PX = 600
const rendererAssets = fileURLToPath(new URL('../../out/renderer/assets', import.meta.url))
const preloadBundle = fileURLToPath(new URL('../../out/preload/index.cjs', import.meta.url))

interface Painted {
  ms: number
  /** Epoch ms of the frame, to count the requests that came before it. */
  at: number
}

/**
 * Runs `act` in the page and resolves in the first frame where `ready` holds, just before it paints. Both are source
 * text run in the page: the bench runs under tsx, whose helpers a function would carry along.
 */
export function paintAfter(page: Page, act: string, ready: string): Promise<Painted> {
  return page.evaluate<Painted>(`new Promise((resolve) => {
    const isReady = () => (${ready})
    const start = performance.now()
    const done = () =>
      requestAnimationFrame(() => {
        // Read the clock in the frame's callback: the frame's own timestamp may predate the act.
        const end = performance.now()
        resolve({ ms: end - start, at: performance.timeOrigin + end })
      })
    const observer = new MutationObserver(() => {
      if (!isReady()) return
      observer.disconnect()
      done()
    })
    observer.observe(document.body, { childList: true, subtree: true, characterData: true })
    ${act}
    if (isReady()) {
      observer.disconnect()
      done()
    }
  })`)
}

export const pressTeam = (index: number) =>
  `window.dispatchEvent(new KeyboardEvent('keydown', { key: '${index}', ctrlKey: true, metaKey: navigator.platform.startsWith('Mac'), bubbles: true }))`

export const appsShownFor = (team: string) =>
  `document.querySelector('[role=toolbar] h1')?.textContent === ${JSON.stringify(team)} && document.querySelectorAll('[role=listbox] [role=option]').length > 0`

/**
 * Requests that reached the sandbox before the frame at `at`; only lists of builds if asked, or
 * only those whose path starts with `pathPrefix`.
 */
export function requestsBefore(
  sandbox: Sandbox,
  at: number,
  buildLists = false,
  pathPrefix = '',
): number {
  return sandbox.admin
    .requestLog()
    .filter((entry) => Date.parse(entry.at) <= at)
    .filter((entry) => !buildLists || /^\/v1\/(builds\?|preReleaseVersions)/.test(entry.path))
    .filter((entry) => entry.path.startsWith(pathPrefix)).length
}

export async function waitFor(page: Page, condition: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(condition, undefined, { timeout, polling: 'raf' })
}

function rowCount(page: Page): Promise<number> {
  return page.evaluate<number>(`document.querySelectorAll('.builds-body [role=row]').length`)
}

const loadedAtLeast = (count: number) =>
  `Number((document.querySelector('.builds-summary')?.textContent?.match(/loaded ([\\d,]+)/)?.[1] ?? '0').replace(/,/g, '')) >= ${count}`

/** Selects an app with a mouse press and resolves when its first builds have painted. */
export function openBuilds(page: Page, app: { id: string; name: string }): Promise<Painted> {
  return paintAfter(
    page,
    `document.getElementById('app-option-${app.id}').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))`,
    `document.querySelector('.builds-header h2')?.textContent === ${JSON.stringify(app.name)} && document.querySelectorAll('.builds-body [role=row][aria-selected]').length > 0`,
  )
}

interface Browsing {
  sandbox: Sandbox
  page: Page
  close: () => Promise<void>
}

/** A fresh harness (nothing cached) with the three teams, Fabrikam open and settled. */
async function browse(sandbox: Sandbox, browser: Browser): Promise<Browsing> {
  const saved = await saveSandboxTeams([
    { key: sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' }), name: 'Fabrikam CI' },
    { key: sandbox.findKey({ team: 'northwind', role: 'ADMIN' }), name: 'Northwind Labs' },
    { key: sandbox.findKey({ team: 'contoso' }), name: 'Contoso Games' },
  ])
  const harness = await startHarness({
    apiBase: sandbox.url,
    dataDir: saved.dataDir,
    secrets: saved.secrets,
  })
  // The probes below are source text run in the page, which the app's CSP forbids.
  const context = await browser.newContext({
    viewport: { width: 1100, height: 720 },
    bypassCSP: true,
  })
  const page = await context.newPage()
  await page.goto(harness.url)
  await waitFor(page, appsShownFor('Fabrikam CI'))
  // Fabrikam's app activity done: nothing else is running.
  await waitFor(page, `document.querySelectorAll('[title^="Newest build"]').length === 3`)
  return {
    sandbox,
    page,
    close: async () => {
      await context.close()
      await harness.close()
      await saved.dispose()
    },
  }
}

/**
 * From the 5,000-build app's first screen, wheel over the table until `pages` more pages are in:
 * the time from the first wheel turn to the frame showing the last page, the requests it took,
 * and the most rows in the DOM on the way.
 */
async function wheelPages(page: Page, sandbox: Sandbox, pages: number) {
  sandbox.admin.resetRequestLog()
  const target = PAGE * (pages + 1)
  const box = await page.locator('.builds-scroll').boundingBox()
  if (!box) throw new Error('no builds table on screen')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const painted = paintAfter(page, '', loadedAtLeast(target))
  let done = false
  void painted.then(() => (done = true))
  let most = 0
  for (let turn = 0; !done; turn++) {
    if (turn > 5_000) throw new Error(`${target} builds never loaded while wheeling`)
    await page.mouse.wheel(0, WHEEL_PX)
    await page.evaluate(`new Promise((resolve) => requestAnimationFrame(resolve))`)
    most = Math.max(most, await rowCount(page))
  }
  const wheeled = await painted
  return { ms: wheeled.ms, requests: requestsBefore(sandbox, wheeled.at), most }
}

/**
 * This process's heap after a full garbage collection: what main's modules keep (the cache), not
 * when V8 last collected. Its RSS would mix in the sandbox, the harness and Playwright's client.
 */
export function settledMemory(): { heapMb: number } {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  gc()
  const usage = process.memoryUsage()
  const mb = (bytes: number) => bytes / 1024 / 1024
  return { heapMb: mb(usage.heapUsed + usage.arrayBuffers) }
}

export async function rendererHeapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page)
  await session.send('Performance.enable')
  await session.send('HeapProfiler.collectGarbage')
  const { metrics } = await session.send('Performance.getMetrics')
  await session.detach()
  const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0
  return used / 1024 / 1024
}

async function rendererGzipKb(): Promise<number> {
  const files = (await readdir(rendererAssets)).filter((file) => file.endsWith('.js'))
  let bytes = 0
  for (const file of files) bytes += gzipSync(await readFile(join(rendererAssets, file))).length
  return bytes / 1024
}

export const round = (value: number) => Math.round(value * 10) / 10

export const uiSection: BenchSection = {
  name: `ui (Chromium, ${LATENCY_MS} ms latency)`,
  async run() {
    const sandbox = await startSandbox({ latencyMs: LATENCY_MS })
    const browser = await chromium.launch({
      executablePath:
        process.env.ASCENT_CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
    try {
      const big = sandbox.fixtures.bigApp
      const first = await browse(sandbox, browser)
      const { page } = first
      const memoryBefore = settledMemory()

      // Cold: a team this session has not shown yet, nothing cached anywhere.
      sandbox.admin.resetRequestLog()
      const cold = await paintAfter(page, pressTeam(2), appsShownFor('Northwind Labs'))
      const coldRequests = requestsBefore(sandbox, cold.at)
      await waitFor(page, `document.querySelectorAll('[title^="Newest build"]').length === 30`)

      // Warm: away and back.
      await paintAfter(page, pressTeam(1), appsShownFor('Fabrikam CI'))
      sandbox.admin.resetRequestLog()
      const warm = await paintAfter(page, pressTeam(2), appsShownFor('Northwind Labs'))
      const warmRequests = requestsBefore(sandbox, warm.at)

      // The 5,000-build app, cold: its first screen, then End from there.
      sandbox.admin.resetRequestLog()
      const firstScreen = await openBuilds(page, big)
      const firstRequests = requestsBefore(sandbox, firstScreen.at)
      let most = await rowCount(page)
      sandbox.admin.resetRequestLog()
      const toEnd = await paintAfter(
        page,
        `const grid = document.querySelector('.builds-grid'); grid.focus(); grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, cancelable: true }))`,
        `[...document.querySelectorAll('.builds-body .build-row-selected .build-version')].some((cell) => cell.textContent.endsWith('(1)'))`,
      )
      // Selecting a build also asks for its details: only the lists count here.
      const toEndRequests = requestsBefore(sandbox, toEnd.at, true)
      most = Math.max(most, await rowCount(page))

      // Every position of the whole list.
      const height = await page.evaluate<number>(
        `document.querySelector('.builds-scroll').scrollHeight`,
      )
      for (let stop = 0; stop <= SCROLL_STOPS; stop++) {
        const top = Math.round((height * stop) / SCROLL_STOPS)
        await page.evaluate(
          `document.querySelector('.builds-scroll').scrollTo(0, ${top}); new Promise((resolve) => requestAnimationFrame(resolve))`,
        )
        most = Math.max(most, await rowCount(page))
      }

      // A build's detail, and the other teams, so memory covers all of it.
      await page.evaluate(
        `document.querySelector('.builds-body [role=row][aria-selected]').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))`,
      )
      await waitFor(
        page,
        `document.querySelector('[aria-label="Build details"] .skeleton') === null`,
      )
      await paintAfter(page, pressTeam(3), `document.querySelector('[role=alert]') !== null`)
      await paintAfter(page, pressTeam(2), appsShownFor('Northwind Labs'))
      const memoryAfter = settledMemory()
      const heapGrowth = memoryAfter.heapMb - memoryBefore.heapMb
      const heap = await rendererHeapMb(page)
      await first.close()

      // The 5,000-build app cold again, in a fresh harness: wheel through its first pages.
      const second = await browse(sandbox, browser)
      await paintAfter(second.page, pressTeam(2), appsShownFor('Northwind Labs'))
      await waitFor(
        second.page,
        `document.querySelectorAll('[title^="Newest build"]').length === 30`,
      )
      await openBuilds(second.page, big)
      const wheel = await wheelPages(second.page, sandbox, WHEEL_PAGES)
      most = Math.max(most, wheel.most)
      await second.close()

      const fast = { op: '<', value: 250 } as const
      const one = { op: '<=', value: 1 } as const
      const wheeled = PAGE * (WHEEL_PAGES + 1)
      const figures: BenchFigure[] = [
        {
          label: 'apps list, cold: time to first paint',
          value: round(cold.ms),
          unit: 'ms',
          target: fast,
        },
        {
          label: 'apps list, cold: requests to first paint',
          value: coldRequests,
          unit: '',
          target: one,
        },
        {
          label: 'apps list, team switch back: time to first paint',
          value: round(warm.ms),
          unit: 'ms',
          target: { op: '<', value: 50 },
        },
        {
          label: 'apps list, team switch back: requests',
          value: warmRequests,
          unit: '',
          target: { op: '<=', value: 0 },
        },
        {
          label: `${big.buildCount}-build app, first screen: time to first paint`,
          value: round(firstScreen.ms),
          unit: 'ms',
          target: fast,
        },
        {
          label: `${big.buildCount}-build app, first screen: requests`,
          value: firstRequests,
          unit: '',
          target: one,
        },
        {
          label: `End from the first screen (cold): time to the last build painted`,
          value: Math.round(toEnd.ms),
          unit: 'ms',
        },
        {
          label: `End from the first screen (cold): build list requests`,
          value: toEndRequests,
          unit: '',
        },
        {
          label: `wheel from the first screen to ${wheeled.toLocaleString('en-US')} builds loaded: time`,
          value: Math.round(wheel.ms),
          unit: 'ms',
        },
        {
          label: `wheel from the first screen to ${wheeled.toLocaleString('en-US')} builds loaded: requests (one a page)`,
          value: wheel.requests,
          unit: '',
          target: { op: '<=', value: WHEEL_PAGES },
        },
        {
          label: `builds table rows in the DOM, most at ${SCROLL_STOPS + 3} positions and while wheeling`,
          value: most,
          unit: '',
          target: { op: '<=', value: MAX_ROWS },
        },
        {
          label: 'bench process heap growth after browsing it all, after GC (main modules, cache)',
          value: round(heapGrowth),
          unit: 'MB',
          target: { op: '<', value: 100 },
        },

        { label: 'renderer JS heap used after browsing it all', value: round(heap), unit: 'MB' },
        {
          label: 'renderer JavaScript (gzip)',
          value: round(await rendererGzipKb()),
          unit: 'KB',
          target: { op: '<', value: 250 },
        },
        {
          label: 'preload bundle (it carries no zod)',
          value: round((await readFile(preloadBundle)).length / 1024),
          unit: 'KB',
          target: { op: '<', value: 40 },
        },
      ]
      return figures
    } finally {
      await browser.close()
      await sandbox.close()
    }
  },
}
