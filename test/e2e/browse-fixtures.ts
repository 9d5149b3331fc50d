/**
 * Fixtures for browsing: one Apple sandbox per worker, and per test three teams saved through the
 * real keys module (Northwind with its Admin key and the 5,000-build app, Fabrikam with a
 * Developer-role key, Contoso with unsigned agreements), opened by a fresh harness.
 */
import type { Locator, Page } from '@playwright/test'
import { startHarness } from '../harness/server'
import { browsingPicks, saveSandboxTeams, type SavedTeams } from '../main/browse-support'
import { startSandbox, type Sandbox } from '../sandbox'
import { expect, test as base } from './fixtures'

export const test = base.extend<{ saved: SavedTeams }, { sandbox: Sandbox }>({
  sandbox: [
    async ({}, use) => {
      const sandbox = await startSandbox()
      await use(sandbox)
      await sandbox.close()
    },
    { scope: 'worker' },
  ],
  saved: async ({ sandbox }, use) => {
    sandbox.admin.clearFaults()
    sandbox.admin.resetRateLimits()
    sandbox.admin.resetRequestLog()
    const saved = await saveSandboxTeams(browsingPicks(sandbox))
    await use(saved)
    await saved.dispose()
  },
  harness: async ({ sandbox, saved }, use) => {
    const harness = await startHarness({
      apiBase: sandbox.url,
      dataDir: saved.dataDir,
      secrets: saved.secrets,
      // These tests count the requests of what the user does; the radar has tests of its own.
      startRadar: false,
    })
    await use(harness)
    await harness.close()
  },
  app: async ({ page, harness }, use) => {
    await page.goto(harness.url)
    // The first saved team opens: the page is ready for team shortcuts.
    await expect(toolbarTitle(page)).toHaveText('Northwind Labs')
    await use(page)
  },
})

export { expect }

/** ⌘ in the app; the harness runs on Linux, where the renderer takes Ctrl. */
export const COMMAND = process.platform === 'darwin' ? 'Meta' : 'Control'

export function toolbarTitle(page: Page): Locator {
  return page.getByRole('toolbar').getByRole('heading', { level: 1 })
}

export function appList(page: Page): Locator {
  return page.getByRole('listbox', { name: 'Apps' })
}

export function appOptions(page: Page): Locator {
  return appList(page).getByRole('option')
}

export function buildsGrid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Builds' })
}

/** A team's row in the sidebar (its button, not its "…" actions button). */
export function teamButton(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Teams' }).locator('.team-row', { hasText: name })
}

/**
 * The apps list rows' newest-build lines (their tooltip names them): one per app once the team's
 * activity is in. The App Store line beside each looks the same, and is not one of them.
 */
export const NEWEST_BUILD = '[title^="Newest build"]'

/** Selects an app by its name in the apps list. */
export async function openApp(page: Page, name: string): Promise<void> {
  await appOptions(page).filter({ hasText: name }).first().click()
  await expect(
    page.getByRole('region', { name: 'Builds' }).getByRole('heading', { name }),
  ).toBeVisible()
}

/** Build rows in the DOM right now (version headers included). */
export function renderedRows(page: Page): Promise<number> {
  return buildsGrid(page).locator('.builds-body [role="row"]').count()
}

type IpcLog = { ipcLog: { channel: string; request: unknown; response: unknown }[] }

/** The IPC answers the page got on `channel`. */
export function answersOn(harness: IpcLog, channel: string) {
  return harness.ipcLog.filter((entry) => entry.channel === channel)
}

/** The page's reads of one resource (`browse:read`), with their answers. */
export function readsOf(harness: IpcLog, resource: string) {
  return answersOn(harness, 'browse:read').filter(
    (entry) => (entry.request as { resource: string }).resource === resource,
  )
}

/**
 * What each read of an app's builds asked for: `first` (the first page), `more` (the next page)
 * or `rest` (every build still missing).
 */
export function buildsAsks(harness: IpcLog): ('first' | 'more' | 'rest')[] {
  return readsOf(harness, 'builds').map((entry) => {
    const { params } = entry.request as { params: { from?: number; rest?: boolean } }
    return params.rest ? 'rest' : (params.from ?? 0) > 0 ? 'more' : 'first'
  })
}

/** The `browse:changed` events main sent the page for a team. */
export function changesFor(
  harness: { eventLog: { event: string; payload: unknown }[] },
  teamId: string,
) {
  return harness.eventLog.filter(
    (entry) =>
      entry.event === 'browse:changed' && (entry.payload as { teamId: string }).teamId === teamId,
  )
}
