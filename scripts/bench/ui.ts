/**
 * Browsing as the user sees it: the real renderer in Chromium through the browser harness, main's
 * modules in this process, the sandbox at 100 ms per request. Times run from the key press or
 * click to the frame that shows the rows, measured in the page; requests are those that reached
 * the sandbox before that frame.
 *
 * Teams: Fabrikam (opened at start, so the page and the sandbox are warm), Northwind (30 apps,
 * the 5,000-build app), Contoso (unsigned agreements).
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium, type Page } from 'playwright-core'
import { startHarness } from '../../test/harness/server'
import { saveSandboxTeams } from '../../test/main/browse-support'
import { startSandbox, type Sandbox } from '../../test/sandbox/index'
import type { BenchFigure, BenchSection } from '../bench'

const LATENCY_MS = 100
const MAX_ROWS = 150
const SCROLL_STOPS = 60
const rendererAssets = fileURLToPath(new URL('../../out/renderer/assets', import.meta.url))

interface Painted {
  ms: number
  /** Epoch ms of the frame, to count the requests that came before it. */
  at: number
}

/**
 * Runs `act` in the page and resolves in the first frame where `ready` holds, just before it paints. Both are source
 * text run in the page: the bench runs under tsx, whose helpers a function would carry along.
 */
function paintAfter(page: Page, act: string, ready: string): Promise<Painted> {
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

const pressTeam = (index: number) =>
  `window.dispatchEvent(new KeyboardEvent('keydown', { key: '${index}', ctrlKey: true, metaKey: navigator.platform.startsWith('Mac'), bubbles: true }))`

const appsShownFor = (team: string) =>
  `document.querySelector('[role=toolbar] h1')?.textContent === ${JSON.stringify(team)} && document.querySelectorAll('[role=listbox] [role=option]').length > 0`

function requestsBefore(sandbox: Sandbox, at: number): number {
  return sandbox.admin.requestLog().filter((entry) => Date.parse(entry.at) <= at).length
}

async function waitFor(page: Page, condition: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(condition, undefined, { timeout, polling: 'raf' })
}

function rowCount(page: Page): Promise<number> {
  return page.evaluate<number>(`document.querySelectorAll('.builds-body [role=row]').length`)
}

async function rendererHeapMb(page: Page): Promise<number> {
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

const round = (value: number) => Math.round(value * 10) / 10

export const uiSection: BenchSection = {
  name: `ui (Chromium, ${LATENCY_MS} ms latency)`,
  async run() {
    const sandbox = await startSandbox({ latencyMs: LATENCY_MS })
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
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
    try {
      // The probes below are source text run in the page, which the app's CSP forbids.
      const page = await browser.newPage({
        viewport: { width: 1100, height: 720 },
        bypassCSP: true,
      })
      await page.goto(harness.url)
      await waitFor(page, appsShownFor('Fabrikam CI'))
      // Fabrikam's app activity done: nothing else is running.
      await waitFor(page, `document.querySelectorAll('.app-latest').length === 3`)
      const rssBefore = process.memoryUsage().rss

      // Cold: a team this session has not shown yet, nothing cached anywhere.
      sandbox.admin.resetRequestLog()
      const cold = await paintAfter(page, pressTeam(2), appsShownFor('Northwind Labs'))
      const coldRequests = requestsBefore(sandbox, cold.at)
      await waitFor(page, `document.querySelectorAll('.app-latest').length === 30`)

      // Warm: away and back.
      await paintAfter(page, pressTeam(1), appsShownFor('Fabrikam CI'))
      sandbox.admin.resetRequestLog()
      const warm = await paintAfter(page, pressTeam(2), appsShownFor('Northwind Labs'))
      const warmRequests = requestsBefore(sandbox, warm.at)

      // The 5,000-build app: first screen, then every build, then to the end of the table.
      const big = sandbox.fixtures.bigApp
      sandbox.admin.resetRequestLog()
      const clickBig = `document.getElementById('app-option-${big.id}').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))`
      const firstScreen = await paintAfter(
        page,
        clickBig,
        `document.querySelector('.builds-header h2')?.textContent === ${JSON.stringify(big.name)} && document.querySelectorAll('.builds-body [role=row][aria-selected]').length > 0`,
      )
      const firstRequests = requestsBefore(sandbox, firstScreen.at)
      const started = performance.now()
      await waitFor(
        page,
        `!document.querySelector('.builds-summary')?.textContent?.includes('loaded')`,
      )
      const allLoaded = performance.now() - started + firstScreen.ms
      const allRequests = sandbox.admin.requestLog().length

      let most = await rowCount(page)
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
      const toEnd = await paintAfter(
        page,
        `document.querySelector('.builds-scroll').scrollTo(0, 0); document.querySelector('.builds-scroll').scrollTo(0, 1e9)`,
        `[...document.querySelectorAll('.builds-body .build-version')].some((cell) => cell.textContent.endsWith('(1)'))`,
      )
      most = Math.max(most, await rowCount(page))

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
      const rssGrowth = (process.memoryUsage().rss - rssBefore) / 1024 / 1024
      const heap = await rendererHeapMb(page)

      const fast = { op: '<', value: 250 } as const
      const one = { op: '<=', value: 1 } as const
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
          label: `${big.buildCount}-build app, all builds loaded`,
          value: Math.round(allLoaded),
          unit: 'ms',
        },
        {
          label: `${big.buildCount}-build app, all builds: requests`,
          value: allRequests,
          unit: '',
        },
        {
          label: 'scroll to the end: time to paint the last row',
          value: round(toEnd.ms),
          unit: 'ms',
        },
        {
          label: `builds table rows in the DOM, most at ${SCROLL_STOPS + 2} positions`,
          value: most,
          unit: '',
          target: { op: '<=', value: MAX_ROWS },
        },
        {
          label: 'main process RSS growth after browsing it all',
          value: round(rssGrowth),
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
      ]
      return figures
    } finally {
      await browser.close()
      await harness.close()
      await saved.dispose()
      await sandbox.close()
    }
  },
}
