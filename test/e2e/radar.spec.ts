/**
 * An app kept open all day: a relaunch paints every saved team from the disk cache before Apple
 * answers anything, and the background radar raises one notification when a build finishes
 * processing, never again after a relaunch, and moves a team's sidebar count (the team on screen
 * or not) with no click. The radar is driven with `runNow()`, not the clock.
 */
import { readdir, readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { startHarness } from '../harness/server'
import { ApiClient } from '../sandbox/support'
import { appOptions, expect, teamButton, test, toolbarTitle } from './browse-fixtures'
import { screenshot } from './screenshots'

const badges = (page: Page) => page.locator('.team-attention').allTextContents()

test('a relaunch paints every team’s apps and counts from disk while Apple answers nothing', async ({
  app,
  harness,
  saved,
  sandbox,
  browser,
}) => {
  await expect(appOptions(app)).toHaveCount(30)
  await harness.ascent.radar.runNow()
  await expect.poll(async () => (await badges(app)).length).toBeGreaterThan(1)
  const shown = await badges(app)
  await harness.ascent.cache.flush()
  await app.close()
  await harness.close()

  // Nothing of a key or token in the cache folder.
  const cacheDir = join(saved.dataDir, 'cache')
  for (const name of await readdir(cacheDir)) {
    const text = await readFile(join(cacheDir, name), 'utf8')
    expect(text).not.toMatch(/PRIVATE KEY|eyJ[\w-]+\.eyJ/)
  }

  // Every request from now on is held: whatever shows came from the disk.
  sandbox.admin.resetRequestLog()
  sandbox.admin.setFaults([{ kind: 'hang' }])
  const relaunched = await startHarness({
    apiBase: sandbox.url,
    dataDir: saved.dataDir,
    secrets: saved.secrets,
    startRadar: false,
  })
  const page = await browser.newPage()
  try {
    await page.goto(relaunched.url)
    await expect(toolbarTitle(page)).toHaveText('Northwind Labs')
    await expect(appOptions(page)).toHaveCount(30)
    await expect.poll(() => badges(page)).toEqual(shown)
    expect(sandbox.admin.requestLog().filter((entry) => entry.state === 'answered')).toEqual([])
    await screenshot(page, 'relaunch-from-disk')
  } finally {
    await page.close()
    sandbox.admin.clearFaults()
    await relaunched.close()
  }
})

test('a build that finishes processing: one notification, opened by a click, never repeated', async ({
  app,
  harness,
  saved,
  sandbox,
}) => {
  await expect(appOptions(app)).toHaveCount(30)
  await harness.ascent.radar.runNow()
  const before = harness.notifications.length
  const buildId = sandbox.fixtures.builds.processing[0]!
  sandbox.admin.updateBuild(buildId, { processingState: 'VALID', usesNonExemptEncryption: false })

  await harness.ascent.radar.runNow()
  const news = harness.notifications.slice(before)
  expect(news).toHaveLength(1)
  expect(news[0]?.title).toMatch(/is ready to test$/)
  expect(harness.badge.count).toBeGreaterThan(0)

  news[0]!.click()
  expect(harness.eventLog).toContainEqual({
    event: 'app:command',
    payload: expect.objectContaining({ type: 'open', buildId }) as unknown,
  })

  // Seen once, ever: neither the next pass nor a relaunch shows it again.
  await harness.ascent.radar.runNow()
  expect(harness.notifications).toHaveLength(before + 1)
  await harness.close()
  const relaunched = await startHarness({
    apiBase: sandbox.url,
    dataDir: saved.dataDir,
    secrets: saved.secrets,
    startRadar: false,
  })
  try {
    await relaunched.ascent.radar.runNow()
    expect(relaunched.notifications.map((shown) => shown.title)).not.toContainEqual(news[0]!.title)
  } finally {
    await relaunched.close()
  }
})

test('a build that fails processing raises its team’s count in the sidebar, with no click', async ({
  app,
  harness,
  sandbox,
}) => {
  await expect(appOptions(app)).toHaveCount(30)
  await harness.ascent.radar.runNow()
  const northwind = teamButton(app, 'Northwind Labs')
  await expect(northwind).toHaveAttribute('aria-label', /need attention$/)
  const label = (await northwind.getAttribute('aria-label')) ?? ''
  const before = Number(/(\d+) need attention$/.exec(label)?.[1])
  expect(before).toBeGreaterThan(0)

  // Nobody touches the window: the radar's next pass alone brings the news to the sidebar.
  sandbox.admin.updateBuild(sandbox.fixtures.builds.processing[0]!, { processingState: 'INVALID' })
  await harness.ascent.radar.runNow()
  await expect(northwind).toHaveAttribute(
    'aria-label',
    new RegExp(`, ${before + 1} need attention$`),
  )
  await expect(northwind.locator('.team-attention')).toHaveText(String(before + 1))
})

test('a team not on screen: its sidebar count follows the radar, with no click', async ({
  app,
  harness,
  sandbox,
}) => {
  // Northwind is on screen; Fabrikam's count can only come from main's radar.
  await expect(appOptions(app)).toHaveCount(30)
  await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
  await harness.ascent.radar.runNow()
  const fabrikam = teamButton(app, 'Fabrikam CI')
  await expect(fabrikam).toHaveAttribute('aria-label', /need attention$/)
  const label = (await fabrikam.getAttribute('aria-label')) ?? ''
  const before = Number(/(\d+) need attention$/.exec(label)?.[1])
  expect(before).toBeGreaterThan(0)

  // Fabrikam's build still processing: the one of the seeded ones its key can read.
  const key = sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' })
  const client = new ApiClient(sandbox)
  let buildId: string | undefined
  for (const id of sandbox.fixtures.builds.processing) {
    if ((await client.get(`/v1/builds/${id}`, key)).status === 200) buildId = id
  }
  if (!buildId) throw new Error('the sandbox has no processing build of Fabrikam’s')

  sandbox.admin.updateBuild(buildId, { processingState: 'INVALID' })
  await harness.ascent.radar.runNow()
  await expect(fabrikam).toHaveAttribute(
    'aria-label',
    new RegExp(`, ${before + 1} need attention$`),
  )
  await expect(fabrikam.locator('.team-attention')).toHaveText(String(before + 1))
  await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
})
