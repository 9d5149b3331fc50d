/**
 * An app kept open all day: a relaunch that paints every saved team from the disk cache, and a
 * team of 500 apps with a 100,000-build app (the sandbox's scale team) costing what a small one
 * does. The real renderer in Chromium through the harness, main's modules in this process, the
 * sandbox at 100 ms per request. The radar is held (`startRadar: false`) so that every request
 * counted is one the screens asked for.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startHarness } from '../../test/harness/server'
import { saveSandboxTeams } from '../../test/main/browse-support'
import { startSandbox, type Sandbox } from '../../test/sandbox/index'
import type { BenchFigure, BenchSection } from '../bench'
import {
  appsShownFor,
  openBuilds,
  paintAfter,
  pressTeam,
  rendererHeapMb,
  requestsBefore,
  round,
  settledMemory,
  waitFor,
} from './ui'

const LATENCY_MS = 100

const attentionBadges = `[...document.querySelectorAll('.team-attention')].map((badge) => badge.textContent).join(',')`

async function folderBytes(folder: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
    const path = join(folder, entry.name)
    total += entry.isDirectory() ? await folderBytes(path) : (await stat(path)).size
  }
  return total
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  // The probes are source text run in the page, which the app's CSP forbids.
  const context = await browser.newContext({
    viewport: { width: 1100, height: 720 },
    bypassCSP: true,
  })
  const page = await context.newPage()
  await page.goto(url)
  return page
}

/**
 * Three teams browsed once (each team's apps and activity cached, then written to disk), then a
 * relaunch on the same data folder: the time from the page's start to the frame that shows the
 * apps list and every team's attention count, and the requests that reached Apple before it.
 */
async function relaunchFromDisk(sandbox: Sandbox, browser: Browser) {
  const saved = await saveSandboxTeams([
    { key: sandbox.findKey({ team: 'northwind', role: 'ADMIN' }), name: 'Northwind Labs' },
    { key: sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' }), name: 'Fabrikam CI' },
    { key: sandbox.findKey({ team: 'contoso' }), name: 'Contoso Games' },
  ])
  const options = {
    apiBase: sandbox.url,
    dataDir: saved.dataDir,
    secrets: saved.secrets,
    startRadar: false,
  }
  const first = await startHarness(options)
  const page = await openPage(browser, first.url)
  await waitFor(page, appsShownFor('Northwind Labs'))
  await waitFor(page, `document.querySelectorAll('[title^="Newest build"]').length === 30`)
  await paintAfter(page, pressTeam(2), appsShownFor('Fabrikam CI'))
  await waitFor(page, `document.querySelectorAll('[title^="Newest build"]').length === 3`)
  await paintAfter(page, pressTeam(1), appsShownFor('Northwind Labs'))
  const badges = await page.evaluate<string>(attentionBadges)
  await page.context().close()
  await first.ascent.cache.flush()
  await first.close()

  sandbox.admin.resetRequestLog()
  const second = await startHarness(options)
  const relaunched = await openPage(browser, second.url)
  const painted = await relaunched.evaluate<{ ms: number; at: number }>(`new Promise((resolve) => {
    const ready = () =>
      document.querySelector('[role=toolbar] h1')?.textContent === 'Northwind Labs' &&
      document.querySelectorAll('[role=listbox] [role=option]').length === 30 &&
      (${attentionBadges}) === ${JSON.stringify(badges)}
    const check = () => {
      if (ready()) {
        const end = performance.now()
        resolve({ ms: end, at: performance.timeOrigin + end })
      } else requestAnimationFrame(check)
    }
    check()
  })`)
  const requests = requestsBefore(sandbox, painted.at)
  await relaunched.context().close()
  await second.close()
  await saved.dispose()
  return { ms: painted.ms, requests, badges }
}

export const scaleSection: BenchSection = {
  name: `scale (Chromium, ${LATENCY_MS} ms latency)`,
  async run() {
    const sandbox = await startSandbox({ latencyMs: LATENCY_MS, scale: true })
    const scale = sandbox.fixtures.scale
    if (!scale) throw new Error('the sandbox has no scale team')
    const browser = await chromium.launch({
      executablePath:
        process.env.ASCENT_CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
    try {
      const launch = await relaunchFromDisk(sandbox, browser)

      // The 500-app team, cold, opened second (Fabrikam first, so the page is warm).
      const saved = await saveSandboxTeams([
        { key: sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' }), name: 'Fabrikam CI' },
        { key: sandbox.findKey({ team: 'tailspin', role: 'ADMIN' }), name: scale.teamName },
      ])
      const harness = await startHarness({
        apiBase: sandbox.url,
        dataDir: saved.dataDir,
        secrets: saved.secrets,
        startRadar: false,
      })
      const page = await openPage(browser, harness.url)
      await waitFor(page, appsShownFor('Fabrikam CI'))
      await waitFor(page, `document.querySelectorAll('[title^="Newest build"]').length === 3`)
      const memoryBefore = settledMemory()

      sandbox.admin.resetRequestLog()
      const appsPainted = await paintAfter(page, pressTeam(2), appsShownFor(scale.teamName))
      // Answered before the paint: the next pages' requests leave right behind the first answer.
      const firstPageRequests = requestsBefore(
        sandbox,
        appsPainted.at - LATENCY_MS,
        false,
        '/v1/apps?',
      )
      const allApps = await paintAfter(
        page,
        '',
        `document.querySelectorAll('[role=listbox] [role=option]').length === ${scale.appCount} || document.querySelector('[role=listbox]')?.getAttribute('aria-setsize') === '${scale.appCount}'`,
      )
      const allAppsRequests = requestsBefore(sandbox, allApps.at, false, '/v1/apps?')

      sandbox.admin.resetRequestLog()
      const hugeFirst = await openBuilds(page, scale.hugeApp)
      const hugeRequests = requestsBefore(sandbox, hugeFirst.at, true)

      // End to end: every build of the 100,000-build app.
      await page.evaluate(
        `const grid = document.querySelector('.builds-grid'); grid.focus(); grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, cancelable: true }))`,
      )
      await waitFor(
        page,
        `[...document.querySelectorAll('.builds-body .build-row-selected .build-version')].some((cell) => cell.textContent.endsWith('(1)'))`,
        600_000,
      )
      await harness.ascent.cache.flush()
      const heapGrowth = settledMemory().heapMb - memoryBefore.heapMb
      const rendererHeap = await rendererHeapMb(page)
      const cacheMb = (await folderBytes(join(saved.dataDir, 'cache'))) / 1024 / 1024
      await page.context().close()
      await harness.close()
      await saved.dispose()

      const figures: BenchFigure[] = [
        {
          label: 'relaunch with 3 saved teams: apps list and every team’s count painted from disk',
          value: round(launch.ms),
          unit: 'ms',
          target: { op: '<', value: 300 },
        },
        {
          label: `relaunch: requests before that paint (counts shown: ${launch.badges || 'none'})`,
          value: launch.requests,
          unit: '',
          target: { op: '<=', value: 0 },
        },
        {
          label: `${scale.appCount}-app team, cold: first page of apps painted`,
          value: round(appsPainted.ms),
          unit: 'ms',
          target: { op: '<', value: 300 },
        },
        {
          label: `${scale.appCount}-app team, cold: apps-list requests answered before the first page`,
          value: firstPageRequests,
          unit: '',
          target: { op: '<=', value: 1 },
        },
        {
          label: `${scale.appCount}-app team: all ${scale.appCount} apps listed (from the key press)`,
          value: round(appsPainted.ms + allApps.ms),
          unit: 'ms',
          target: { op: '<', value: 600 },
        },
        {
          label: `${scale.appCount}-app team: apps-list requests for all of them`,
          value: allAppsRequests,
          unit: '',
          target: { op: '<=', value: 3 },
        },
        {
          label: `${scale.hugeApp.buildCount.toLocaleString('en-US')}-build app, first screen`,
          value: round(hugeFirst.ms),
          unit: 'ms',
          target: { op: '<', value: 250 },
        },
        {
          label: `${scale.hugeApp.buildCount.toLocaleString('en-US')}-build app, first screen: build list requests`,
          value: hugeRequests,
          unit: '',
          target: { op: '<=', value: 1 },
        },
        {
          label: 'after every build of it: bench process heap growth (main modules, cache)',
          value: round(heapGrowth),
          unit: 'MB',
          target: { op: '<', value: 150 },
        },
        {
          label: 'after every build of it: renderer JS heap',
          value: round(rendererHeap),
          unit: 'MB',
          target: { op: '<', value: 100 },
        },
        {
          label: 'after every build of it: cache folder',
          value: round(cacheMb),
          unit: 'MB',
          target: { op: '<', value: 60 },
        },
      ]
      return figures
    } finally {
      await browser.close()
      await sandbox.close()
    }
  },
}
