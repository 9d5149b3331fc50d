/**
 * Browsing end to end: real main modules, preload and renderer in Chromium, against the Apple
 * sandbox, with three saved teams (Northwind: Admin key, 30 apps, one with 5,000 builds; Fabrikam:
 * Developer key; Contoso: unsigned agreements).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHarness } from '../harness/server'
import { ApiClient } from '../sandbox/support'
import {
  answersOn,
  appList,
  appOptions,
  buildsAsks,
  buildsGrid,
  changesFor,
  COMMAND,
  expect,
  NEWEST_BUILD,
  openApp,
  renderedRows,
  teamButton,
  test,
  toolbarTitle,
} from './browse-fixtures'
import { platformLabel, versionStateLabel } from '../../src/renderer/builds/format'
import { screenshot } from './screenshots'

const MAX_ROWS = 150
/** The apps list request (not an app's own paths, such as its App Store versions). */
const APPS_LIST = '/v1/apps?'

function appleRequests(
  sandbox: { admin: { requestLog(): { path: string; keyId: string | null }[] } },
  keyId: string,
  path: string,
) {
  return sandbox.admin
    .requestLog()
    .filter((entry) => entry.keyId === keyId && entry.path.startsWith(path))
}

test.describe('teams', () => {
  test('switches between three teams from the keyboard and the sidebar, each shown as itself', async ({
    app,
    sandbox,
  }) => {
    const teamNamed = (prefix: string) => {
      const team = sandbox.teams.find((candidate) => candidate.name.startsWith(prefix))
      if (!team) throw new Error(`no sandbox team ${prefix}`)
      return team
    }
    const northwind = teamNamed('Northwind')
    const fabrikam = teamNamed('Fabrikam')
    const contoso = teamNamed('Contoso')
    const northwindKey = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
    await expect(appOptions(app)).toHaveCount(northwind.appIds.length)

    // ⌘2: the Developer-role key of Fabrikam browses its apps.
    await app.keyboard.press(`${COMMAND}+2`)
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
    await expect(teamButton(app, 'Fabrikam CI')).toHaveAttribute('aria-current', 'page')
    await expect(teamButton(app, 'Fabrikam CI')).toContainText('Developer')
    await expect(appOptions(app)).toHaveCount(fabrikam.appIds.length)
    await expect(appOptions(app).first()).toContainText('Fabrikam')

    // ⌘3: Contoso's unsigned agreements, diagnosed in place.
    await app.keyboard.press(`${COMMAND}+3`)
    await expect(toolbarTitle(app)).toHaveText('Contoso Games')
    const problem = app.getByRole('alert', { name: /agreement/i })
    await expect(problem).toContainText('An agreement needs to be signed')
    await expect(problem).toContainText('Account Holder')
    await expect(problem.getByRole('button', { name: 'Open App Store Connect' })).toBeVisible()
    await expect(appList(app)).toHaveCount(0)
    expect(contoso.agreementsSigned).toBe(false)

    // Back to Northwind by clicking: painted from the cache, without asking Apple for the apps.
    const before = appleRequests(sandbox, northwindKey.keyId, APPS_LIST).length
    await teamButton(app, 'Northwind Labs').click()
    await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
    await expect(appOptions(app)).toHaveCount(northwind.appIds.length)
    expect(appleRequests(sandbox, northwindKey.keyId, APPS_LIST).length).toBe(before)

    // The active team survives a restart.
    await app.keyboard.press(`${COMMAND}+2`)
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
    await expect
      .poll(async () => (await app.evaluate(() => window.ascent.teams.list())).ok)
      .toBe(true)
    await expect
      .poll(async () => {
        const result = await app.evaluate(() => window.ascent.teams.list())
        return result.ok ? result.value.activeTeamId : null
      })
      .toBe(sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' }).keyId)
    await app.reload()
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
  })

  test('the app menu switches teams too', async ({ app, harness }) => {
    await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
    harness.sendCommand({ type: 'selectTeam', index: 2 })
    await expect(toolbarTitle(app)).toHaveText('Contoso Games')
    harness.sendCommand({ type: 'selectTeam', index: 0 })
    await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
  })

  test('a switch while the previous team’s slow requests are in flight shows nothing of it', async ({
    app,
    harness,
    sandbox,
  }) => {
    const northwind = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    const northwindApps = new Set(sandbox.teams[0]!.appIds)
    await expect(appOptions(app)).toHaveCount(30)
    await expect(app.locator(NEWEST_BUILD)).toHaveCount(30)
    await app.keyboard.press(`${COMMAND}+2`)
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
    await expect(appOptions(app)).toHaveCount(3)

    // Northwind's key answers after 2.5 s from now on; its cache is warm, so refresh it for real.
    sandbox.admin.addFaults({ kind: 'latency', ms: 2_500, match: { keyId: northwind.keyId } })
    await app.keyboard.press(`${COMMAND}+1`)
    await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
    await app.keyboard.press(`${COMMAND}+r`)
    await sandbox.admin.waitForRequest(
      (entry) =>
        entry.keyId === northwind.keyId &&
        entry.path.startsWith(APPS_LIST) &&
        entry.state === 'held',
    )
    await expect(app.getByRole('status')).toContainText('Refreshing…')
    await app.keyboard.press(`${COMMAND}+2`)
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')

    // Once the sandbox is done holding Northwind's requests, it finds their client gone: none is
    // ever answered. Main canceled Northwind's refresh: nothing of it was stored or announced.
    const settled = await sandbox.admin.waitUntilSettled()
    const refreshed = settled.filter(
      (entry) => entry.keyId === northwind.keyId && entry.path.startsWith(APPS_LIST),
    )
    expect(refreshed.map((entry) => entry.state)).toEqual(['answered', 'dropped'])
    expect(changesFor(harness, northwind.keyId)).toEqual([])
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
    const shown = await appOptions(app).evaluateAll((options) => options.map((option) => option.id))
    expect(shown).toHaveLength(3)
    for (const id of shown) expect(northwindApps.has(id.replace('app-option-', ''))).toBe(false)
    await expect(app.getByRole('region', { name: 'Apps' })).not.toContainText('Northwind')
  })
})

test.describe('apps', () => {
  test('filters as you type, sorts, and moves with the keyboard', async ({ app, sandbox }) => {
    await expect(appOptions(app)).toHaveCount(30)
    await app.keyboard.press(`${COMMAND}+f`)
    const search = app.getByRole('searchbox', { name: /Search apps/ })
    await expect(search).toBeFocused()

    await search.pressSequentially('mail')
    await expect(appOptions(app)).toHaveCount(1)
    await expect(appOptions(app)).toContainText(sandbox.fixtures.bigApp.name)
    // By bundle ID and by SKU too.
    await search.fill('com.northwind.maps')
    await expect(appOptions(app)).toHaveCount(1)
    const sku =
      (await appOptions(app).locator('.app-sku').textContent())?.replace(/^.*SKU /, '') ?? ''
    await search.fill(sku.toLowerCase())
    await expect(appOptions(app)).toHaveText([/Northwind Maps/])
    await search.fill('')
    await expect(appOptions(app)).toHaveCount(30)

    await app.getByRole('combobox', { name: 'Sort apps' }).selectOption('bundleId')
    const bundleIds = await appOptions(app)
      .locator('.app-ids')
      .evaluateAll((nodes) => nodes.map((node) => (node.firstChild?.textContent ?? '').trim()))
    expect(bundleIds).toEqual([...bundleIds].sort((a, b) => a.localeCompare(b)))
    await app.getByRole('combobox', { name: 'Sort apps' }).selectOption('name')

    // ↓ from the search field goes into the list; ↑/↓ move; Return opens the builds.
    await search.focus()
    await app.keyboard.press('ArrowDown')
    await expect(appList(app)).toBeFocused()
    await expect(appOptions(app).nth(0)).toHaveAttribute('aria-selected', 'true')
    await app.keyboard.press('ArrowDown')
    await expect(appOptions(app).nth(1)).toHaveAttribute('aria-selected', 'true')
    const second = (await appOptions(app).nth(1).locator('.app-name').textContent()) ?? ''
    await expect(
      app.getByRole('region', { name: 'Builds' }).getByRole('heading', { name: second }),
    ).toBeVisible()
    await expect(buildsGrid(app)).toBeVisible()
    await app.keyboard.press('Enter')
    await expect(buildsGrid(app)).toBeFocused()
  })

  test('shows each app’s icon or monogram, newest build and needs-attention count', async ({
    app,
    harness,
  }) => {
    const images: string[] = []
    app.on('request', (request) => {
      if (request.resourceType() === 'image') images.push(request.url())
    })
    await app.reload()
    const mail = appOptions(app).filter({ hasText: 'Northwind Mail' })
    await expect(mail.locator('.attention-count')).toHaveText(/\d+/)
    await expect(mail.locator(NEWEST_BUILD)).toContainText('(5000)')
    await expect(mail.getByText('visionOS')).toBeVisible()
    // The icon is asked of Apple's CDN with the template filled in. The test machine cannot reach
    // it, so the monogram stays.
    const icon = /^https:\/\/[^/]+\.mzstatic\.com\/.+\/64x64bb\.png$/
    await expect.poll(() => images.filter((url) => icon.test(url)).length).toBeGreaterThan(0)
    await expect(mail.locator('.app-icon-monogram')).toHaveText('M')
    await expect(mail.locator('.app-icon-monogram')).toBeVisible()
    await expect(mail.locator('img.app-icon-loaded')).toHaveCount(0)

    await app
      .getByRole('button', { name: /Needs Attention/ })
      .first()
      .click()
    const flagged = await appOptions(app).count()
    expect(flagged).toBeGreaterThan(0)
    expect(flagged).toBeLessThan(30)
    for (const option of await appOptions(app).all()) {
      await expect(option.locator('.attention-count')).toBeVisible()
    }

    await openApp(app, 'Northwind Mail')
    await app.getByRole('button', { name: 'Open in App Store Connect' }).first().click()
    await expect
      .poll(() => harness.openedUrls.at(-1))
      .toMatch(/^https:\/\/appstoreconnect\.apple\.com\/apps\/\d+$/)
  })
})

test.describe('builds', () => {
  test('the 5,000-build app: first screen in one request, a page per scroll, End loads the rest, never more than 150 rows', async ({
    app,
    harness,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    const big = sandbox.fixtures.bigApp
    await expect(appOptions(app)).toHaveCount(30)
    // Every app's newest build is in: the activity requests are done.
    await expect(app.locator(NEWEST_BUILD)).toHaveCount(30)
    sandbox.admin.resetRequestLog()
    const asked = buildsAsks(harness).length
    const askedNow = () => buildsAsks(harness).slice(asked)
    await openApp(app, big.name)
    const grid = buildsGrid(app)
    await expect(grid.getByRole('row', { name: /5\.9 \(5000\)/ })).toBeVisible()
    const requestsForApp = () =>
      appleRequests(sandbox, key.keyId, '/v1/')
        .map((entry) => decodeURIComponent(entry.path))
        .filter((path) => path.includes(`filter[app]=${big.id}`))
    const summary = app.locator('.builds-summary')
    await expect(summary).toContainText('5,000 builds · loaded 200')

    // The first screen is one request, the newest page by upload date; nothing else is asked
    // for while the table stays where it is.
    await app.waitForTimeout(1_000)
    const [first, ...rest] = requestsForApp()
    expect(first).toMatch(/^\/v1\/builds\?.*sort=-uploadedDate/)
    expect(first).not.toContain('filter[preReleaseVersion]')
    expect(rest).toEqual([])
    expect(askedNow()).toEqual(['first'])
    let most = await renderedRows(app)

    // Scrolling with the wheel towards the end of what is loaded adds one page at a time.
    const scroller = grid.locator('.builds-scroll')
    const footer = grid.locator('.build-row-footer')
    await scroller.hover()
    for (const loaded of [400, 600, 800]) {
      await expect
        .poll(async () => {
          await app.mouse.wheel(0, 1_500)
          most = Math.max(most, await renderedRows(app))
          return summary.innerText()
        })
        .toContain(`loaded ${loaded}`)
      expect(requestsForApp()).toHaveLength(loaded / 200)
      expect(askedNow().filter((ask) => ask === 'more')).toHaveLength(loaded / 200 - 1)
    }
    // The wheel scrolled the table alone: the window's content never scrolls away under it.
    expect(
      await app.evaluate(() => {
        const content = document.querySelector('main.content')
        return content ? [content.scrollTop, content.scrollHeight - content.clientHeight] : null
      }),
    ).toEqual([0, 0])
    // While a page is on its way, the row after the loaded ones says so.
    sandbox.admin.addFaults({
      kind: 'latency',
      ms: 1_500,
      match: { keyId: key.keyId, path: '/v1/builds' },
      times: 1,
    })
    await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight))
    await expect(footer).toContainText('Loading more builds… 800 of 5,000')
    await expect(summary).toContainText('loaded 1,000')

    // End loads every build and moves to the oldest.
    await grid.focus()
    await app.keyboard.press('End')
    const oldest = grid.getByRole('row', { name: /\(1\)/ })
    await expect(oldest).toBeVisible()
    await expect(oldest).toHaveAttribute('aria-selected', 'true')
    await expect(summary).not.toContainText('loaded')
    await expect(footer).toHaveCount(0)
    expect(askedNow()).toContain('rest')
    expect(requestsForApp().some((path) => path.startsWith('/v1/preReleaseVersions'))).toBe(true)

    // Scroll to the end in steps, counting rows at every position.
    const height = await scroller.evaluate((element) => element.scrollHeight)
    expect(height).toBeGreaterThan(5000 * 28)
    for (let top = 0; top <= height; top += Math.round(height / 25)) {
      await scroller.evaluate((element, to) => element.scrollTo(0, to), top)
      await app.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)))
      most = Math.max(most, await renderedRows(app))
    }
    await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight))
    await expect(oldest).toBeVisible()
    most = Math.max(most, await renderedRows(app))
    expect(most).toBeLessThanOrEqual(MAX_ROWS)

    // The oldest build's details.
    await oldest.click()
    const inspector = app.getByRole('region', { name: 'Build details' })
    await expect(inspector.getByRole('heading', { level: 2 })).toContainText('Build 1Version 1.0')
    await expect(inspector).toContainText('Expired')
    await expect(inspector).toContainText('Minimum OS')
    await expect(inspector).toContainText('App Store version')
  })

  test('a filter on a list still paging in waits for every build, then shows all that match', async ({
    app,
    harness,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    const big = sandbox.fixtures.bigApp
    // What Apple itself says: the big app's expired builds.
    const apple = await new ApiClient(sandbox).request(
      `/v1/builds?filter[app]=${big.id}&filter[expired]=true&limit=1`,
      { key },
    )
    const expired = apple.json.meta?.paging.total ?? 0
    expect(expired).toBeGreaterThan(200)

    await openApp(app, big.name)
    const grid = buildsGrid(app)
    const summary = app.locator('.builds-summary')
    await expect(summary).toContainText('5,000 builds · loaded 200')
    const asked = buildsAsks(harness).length
    // The newest 200 builds are all current: the filter needs the rest. Apple answers the first
    // request of the full load slowly, so the state in between can be seen.
    sandbox.admin.addFaults({
      kind: 'latency',
      ms: 1_500,
      match: { keyId: key.keyId, path: '/v1/preReleaseVersions' },
      times: 1,
    })
    await app.getByRole('combobox', { name: 'Expiry' }).selectOption('expired')
    await expect(grid.locator('.build-row-footer')).toContainText('Filtering 200 of 5,000 loaded…')
    await expect(app.getByText('No builds match these filters')).toHaveCount(0)

    await expect(summary).toContainText(`${expired.toLocaleString('en-US')} match`)
    await expect(grid.locator('.build-row-footer')).toHaveCount(0)
    await expect(grid.locator('.builds-body [aria-selected]').first()).toContainText('Expired')
    await grid.focus()
    await app.keyboard.press('End')
    await expect(grid.locator('.build-row-selected')).toContainText('(1)')
    // One full load, no page by page on the way.
    expect(buildsAsks(harness).slice(asked)).toEqual(['rest'])
  })

  test('a page of builds that fails: the diagnosis with its hints under the builds still shown, and Try Again', async ({
    app,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    // Every app's newest build is in: the builds asked from here on are the table's.
    await expect(app.locator(NEWEST_BUILD)).toHaveCount(30)
    await openApp(app, sandbox.fixtures.bigApp.name)
    const grid = buildsGrid(app)
    const summary = app.locator('.builds-summary')
    await expect(summary).toContainText('loaded 200')

    // Apple's answer to the next page stops part-way.
    sandbox.admin.addFaults({
      kind: 'truncate',
      match: { keyId: key.keyId, path: '/v1/builds' },
      times: 1,
    })
    await grid.locator('.builds-scroll').evaluate((element) => element.scrollTo(0, 1e9))
    const builds = app.getByRole('region', { name: 'Builds' })
    const notice = builds.getByRole('alert', {
      name: 'App Store Connect sent an unexpected answer',
    })
    await expect(notice).toBeVisible()
    await expect(notice.getByRole('listitem').first()).toContainText('Check again in a moment')
    await expect(notice.getByRole('button', { name: 'Retry' })).toBeVisible()
    const footer = grid.locator('.build-row-footer')
    await expect(footer).toContainText('More builds could not be loaded.')
    // What was loaded stays, and nothing more is asked by itself.
    await expect(summary).toContainText('loaded 200')
    await expect(grid.getByRole('row', { name: /5\.9 \(5000\)/ })).toHaveCount(0)

    await footer.getByRole('button', { name: 'Try Again' }).click()
    await expect(summary).toContainText('loaded 400')
    await expect(notice).toHaveCount(0)
  })

  test('a build’s details: beta groups and the App Store version it is attached to', async ({
    app,
  }) => {
    await openApp(app, 'Northwind Mail')
    const grid = buildsGrid(app)
    await expect(grid.getByRole('row').nth(2)).toBeVisible()
    await app.getByRole('combobox', { name: 'Expiry' }).selectOption('current')
    await app.getByRole('combobox', { name: 'Status' }).selectOption('VALID')
    // A valid, current build with compliance answered is in the internal group.
    await grid.focus()
    let found = false
    for (let step = 0; step < 30 && !found; step++) {
      await app.keyboard.press('ArrowDown')
      const row = grid.locator('.build-row-selected')
      found = !(await row.textContent())?.includes('Compliance missing')
    }
    await app.keyboard.press('Enter')
    const inspector = app.getByRole('region', { name: 'Build details' })
    await expect(inspector.getByRole('heading', { level: 2 })).toBeFocused()
    await expect(
      inspector.getByRole('listitem').filter({ hasText: 'Internal Testers' }),
    ).toBeVisible()
    await expect(inspector).toContainText('App Store version')
    await expect(inspector).toContainText(/Testing|Ready to Test/)
  })

  test('App Store state: the live version and the one on its way, in the app’s row, its header, and the inspector of the build it ships', async ({
    app,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    const big = sandbox.fixtures.bigApp
    // What Apple says: per platform, the newest live version and the newest one after it.
    const all = await new ApiClient(sandbox).all(
      `/v1/apps/${big.id}/appStoreVersions?include=build&limit=200`,
      key,
    )
    const attribute = (
      resource: { attributes?: Record<string, unknown> } | undefined,
      name: string,
    ) => {
      const value = resource?.attributes?.[name]
      return typeof value === 'string' ? value : ''
    }
    const numbers = new Map(all.included.map((build) => [build.id, attribute(build, 'version')]))
    const byPlatform = ['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'].flatMap((platform) => {
      const mine = all.data
        .filter((version) => version.attributes?.platform === platform)
        .sort(
          (a, b) =>
            Date.parse(attribute(b, 'createdDate')) - Date.parse(attribute(a, 'createdDate')),
        )
      const live = mine.find(
        (version) => version.attributes?.appVersionState === 'READY_FOR_DISTRIBUTION',
      )
      const newest = mine[0]
      return newest ? [{ platform, live, next: newest === live ? undefined : newest }] : []
    })
    const text = (entry: (typeof byPlatform)[number]) => {
      const next = entry.next
      const build = (next?.relationships?.build?.data as { id: string } | null)?.id
      const number = build ? numbers.get(build) : undefined
      return [
        entry.live ? `${attribute(entry.live, 'versionString')} on the App Store` : null,
        next
          ? `${attribute(next, 'versionString')}${number ? ` (${number})` : ''} ${versionStateLabel(attribute(next, 'appVersionState'))}`
          : null,
      ]
        .filter(Boolean)
        .join(' · ')
    }
    const shipping = byPlatform.find((entry) => entry.next?.relationships?.build?.data)
    expect(shipping).toBeDefined()

    const row = appOptions(app).filter({ hasText: big.name })
    const shown = byPlatform.find((entry) => entry.next) ?? byPlatform[0]!
    await expect(row).toContainText(
      `${platformLabel(shown.platform)} ${attribute(shown.live, 'versionString')}`,
    )
    await expect(row).toContainText(
      versionStateLabel(attribute(shown.next, 'appVersionState') || 'READY_FOR_DISTRIBUTION'),
    )

    await openApp(app, big.name)
    const header = app.getByRole('region', { name: 'Builds' }).locator('.builds-title')
    for (const entry of byPlatform) {
      await expect(header).toContainText(`${platformLabel(entry.platform)} ${text(entry)}`)
    }

    // The build the version on its way ships: the inspector names the version and its state.
    const buildId = (shipping!.next!.relationships!.build!.data as { id: string }).id
    const number = numbers.get(buildId) ?? ''
    await app
      .getByRole('searchbox', { name: 'Filter by version or build number' })
      .fill(`(${number})`)
    await buildsGrid(app)
      .getByRole('row', { name: new RegExp(`\\(${number}\\)`) })
      .click()
    const inspector = app.getByRole('region', { name: 'Build details' })
    await expect(inspector).toContainText(
      `${attribute(shipping!.next, 'versionString')} (${platformLabel(shipping!.platform)}) · ${versionStateLabel(attribute(shipping!.next, 'appVersionState'))}`,
    )
    await screenshot(app, 'builds-app-store')
  })

  test('TestFlight in the inspector: the groups that have the build, their testers, and What to Test', async ({
    app,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    const big = sandbox.fixtures.bigApp
    // What Apple says: the newest build of the public beta, its testers and its notes.
    const api = new ApiClient(sandbox)
    const groups = await api.request(
      `/v1/betaGroups?filter[app]=${big.id}&filter[name]=Public Beta&fields[betaGroups]=name`,
      { key },
    )
    const group = groups.json.data[0]!.id
    const newest = await api.request(
      `/v1/builds?filter[betaGroups]=${group}&sort=-uploadedDate&limit=1&fields[builds]=version`,
      { key },
    )
    const build = newest.json.data[0]!
    const testers = await api.request(`/v1/betaGroups/${group}/betaTesters?limit=1`, { key })
    const notes = await api.request(`/v1/builds/${build.id}/betaBuildLocalizations`, { key })
    const english = notes.json.data.find((note) => note.attributes?.locale === 'en-US')
    const whatToTest = String(english?.attributes?.whatsNew)

    await openApp(app, big.name)
    const number = String(build.attributes?.version)
    await app
      .getByRole('searchbox', { name: 'Filter by version or build number' })
      .fill(`(${number})`)
    const grid = buildsGrid(app)
    const row = grid.getByRole('row', { name: new RegExp(`\\(${number}\\)`) })
    await row.click()
    const testFlight = app
      .getByRole('region', { name: 'Build details' })
      .getByRole('region', { name: 'TestFlight' })
    const publicBeta = testFlight.getByRole('listitem').filter({ hasText: 'Public Beta' })
    const count = testers.json.meta?.paging.total ?? 0
    await expect(publicBeta).toContainText(`External · ${count.toLocaleString('en-US')} testers`)
    await expect(
      testFlight.getByRole('listitem').filter({ hasText: 'Internal Testers' }),
    ).toContainText('Internal ·')
    await expect(testFlight).toContainText(whatToTest)
    await expect(testFlight.locator('.skeleton')).toHaveCount(0)
    await screenshot(app, 'builds-testflight')
  })

  test('every needs-attention case the sandbox seeds is flagged, and nothing else', async ({
    app,
    sandbox,
  }) => {
    await app.keyboard.press(`${COMMAND}+2`)
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
    // The first app of each team carries every case.
    const first = appOptions(app).filter({ hasText: 'Fabrikam Sketch' })
    await expect(first.locator('.attention-count')).toBeVisible()
    const appCount = Number(/\d+/.exec(await first.locator('.attention-count').innerText())?.[0])
    await openApp(app, 'Fabrikam Sketch')
    await app
      .getByRole('region', { name: 'Builds' })
      .getByRole('button', { name: /Needs Attention/ })
      .click()

    const rows = buildsGrid(app).locator('.builds-body [role="row"][aria-selected]')
    await expect(rows.first()).toBeVisible()
    // The filter covers every build of the app: none still loading.
    await expect(buildsGrid(app).locator('.build-row-footer')).toHaveCount(0)
    const ids = await rows.evaluateAll((nodes) =>
      nodes.map((node) => node.id.replace('build-row-', '')),
    )
    expect(ids.length).toBe(appCount)
    const { builds: cases } = sandbox.fixtures
    const flagged = new Set(ids)
    const inApp = (list: string[]) => list.filter((id) => flagged.has(id))
    expect(inApp(cases.expiringSoon).length).toBeGreaterThan(0)
    expect(inApp(cases.stuckProcessing).length).toBeGreaterThan(0)
    expect(inApp(cases.missingCompliance).length).toBeGreaterThan(0)
    expect(inApp(cases.failed).length).toBeGreaterThan(0)
    expect(inApp(cases.invalid).length).toBeGreaterThan(0)
    // A build processing for minutes, or expired early, needs nothing.
    expect(inApp(cases.processing)).toEqual([])
    expect(inApp(cases.expiredEarly)).toEqual([])

    const row = (id: string) => buildsGrid(app).locator(`[id="build-row-${id}"]`)
    await expect(row(inApp(cases.expiringSoon)[0]!).locator('.expiry-soon')).toHaveText(
      /^([1-7] days?|Today)$/,
    )
    await expect(row(inApp(cases.expiringSoon)[0]!).locator('.expiry-soon svg')).toBeVisible()
    await expect(row(inApp(cases.stuckProcessing)[0]!)).toContainText('Processing')
    const compliance = row(inApp(cases.missingCompliance)[0]!)
    await expect(compliance).toContainText('Compliance missing')
    await expect(compliance.locator('.compliance-badge svg')).toBeVisible()
    // The badge sits beside the TestFlight states, which stay shown.
    await expect(compliance.locator('.build-testflight-states')).toHaveText(/\S+ · \S+/)
    await expect(row(inApp(cases.failed)[0]!)).toContainText('Failed')
    await expect(row(inApp(cases.invalid)[0]!)).toContainText('Invalid')

    await row(inApp(cases.stuckProcessing)[0]!).click()
    await expect(app.getByRole('region', { name: 'Build details' })).toContainText(
      'Stuck in processing',
    )
  })

  test('filters by version, platform, state and expiry; groups by marketing version', async ({
    app,
  }) => {
    await openApp(app, 'Northwind Mail')
    const grid = buildsGrid(app)
    await expect(grid.getByRole('row', { name: /Version 5\.9/ })).toBeVisible()
    await app.getByRole('searchbox', { name: /Filter by version/ }).fill('4.2')
    await expect(grid.getByRole('row', { name: /Version 4\.2/ })).toBeVisible()
    await expect(grid.getByRole('row', { name: /Version 5\.9/ })).toHaveCount(0)

    await app.getByRole('combobox', { name: 'Platform' }).selectOption('MAC_OS')
    const platforms = await grid
      .locator('.builds-body [aria-selected] > :nth-child(2)')
      .allInnerTexts()
    expect(new Set(platforms)).toEqual(new Set(['macOS']))

    await app.getByRole('searchbox', { name: /Filter by version/ }).fill('')
    await app.getByRole('combobox', { name: 'Platform' }).selectOption('all')
    await app.getByRole('combobox', { name: 'Expiry' }).selectOption('expired')
    await expect(grid.locator('.builds-body [aria-selected]').first()).toContainText('Expired')
    await app.getByRole('combobox', { name: 'Status' }).selectOption('PROCESSING')
    await expect(app.getByText('No builds match these filters')).toBeVisible()
    await app.getByRole('button', { name: 'Clear Filters' }).click()

    await app.getByRole('button', { name: 'Group by Version' }).click()
    await expect(grid.getByRole('row', { name: /^Version / })).toHaveCount(0)
    await expect(grid.locator('.builds-body [aria-selected]').first()).toContainText('(5000)')
  })
})

test.describe('problems and team actions', () => {
  test('a revoked key: diagnosed in place, re-check or re-import, the team kept', async ({
    app,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' })
    sandbox.admin.revokeKey(key.keyId)
    try {
      await app.keyboard.press(`${COMMAND}+2`)
      const problem = app.getByRole('alert', { name: 'Apple refused this key' })
      await expect(problem).toBeVisible()
      await expect(
        teamButton(app, 'Fabrikam CI').getByRole('img', { name: 'Rejected by Apple' }),
      ).toBeVisible()

      await problem.getByRole('button', { name: 'Re-import Key…' }).click()
      await expect(app.getByRole('dialog', { name: 'Re-import API Key' })).toBeVisible()
      await app.keyboard.press('Escape')
      await expect(app.getByRole('dialog', { name: 'Re-import API Key' })).toHaveCount(0)

      sandbox.admin.unrevokeKey(key.keyId)
      await problem.getByRole('button', { name: 'Check Now' }).click()
      const check = app.getByRole('dialog', { name: 'Check Fabrikam CI' })
      await expect(check).not.toContainText('Asking App Store Connect')
      await expect(check.locator('.check-ok')).toBeVisible()
      await check.getByRole('button', { name: 'Done' }).click()
      await expect(
        teamButton(app, 'Fabrikam CI').getByRole('img', { name: 'Verified' }),
      ).toBeVisible()
      await app.getByRole('button', { name: 'Refresh', exact: true }).click()
      await expect(appOptions(app)).toHaveCount(3)
      await expect(teamButton(app, 'Fabrikam CI')).toContainText('Developer')
    } finally {
      sandbox.admin.unrevokeKey(key.keyId)
    }
  })

  test('re-import replaces the key of the team it was opened for, keeping the team', async ({
    app,
    harness,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' })
    const folder = mkdtempSync(join(tmpdir(), 'ascent-reimport-'))
    const p8 = join(folder, `AuthKey_${key.keyId}.p8`)
    writeFileSync(p8, key.privateKeyPem, { mode: 0o600 })
    sandbox.admin.revokeKey(key.keyId)
    try {
      await app.keyboard.press(`${COMMAND}+2`)
      const problem = app.getByRole('alert', { name: 'Apple refused this key' })
      await problem.getByRole('button', { name: 'Re-import Key…' }).click()
      const wizard = app.getByRole('dialog', { name: 'Re-import API Key' })
      await expect(wizard.getByRole('heading', { level: 1 })).toHaveText(
        'Re-import the Key of “Fabrikam CI”',
      )
      harness.dialogAnswers.push(p8)
      await wizard.getByRole('button', { name: 'Choose File…' }).click()
      await wizard.getByRole('button', { name: 'Continue' }).click()
      await expect(wizard.getByLabel('Key ID')).toHaveValue(key.keyId)
      await expect(wizard.getByLabel('Issuer ID')).toHaveValue(key.issuerId ?? '')

      sandbox.admin.unrevokeKey(key.keyId)
      await wizard.getByRole('button', { name: 'Check Key' }).click()
      await wizard.getByRole('button', { name: 'Continue' }).click()
      await expect(wizard.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(
        'Fabrikam CI',
      )
      await app.keyboard.press('Enter')
      await expect(wizard).toHaveCount(0)

      const [save] = answersOn(harness, 'keys:save')
      expect(save?.request).toMatchObject({ replaceTeamId: key.keyId, name: 'Fabrikam CI' })
      expect(save?.response).toMatchObject({ ok: true, value: { id: key.keyId } })
      await expect(app.getByRole('navigation', { name: 'Teams' }).locator('.team-row')).toHaveCount(
        3,
      )
      await expect(
        teamButton(app, 'Fabrikam CI').getByRole('img', { name: 'Verified' }),
      ).toBeVisible()
      await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
    } finally {
      sandbox.admin.unrevokeKey(key.keyId)
      rmSync(folder, { recursive: true, force: true })
    }
  })

  test('rename inline, and remove with a confirmation that names the team', async ({
    app,
    saved,
  }) => {
    const fabrikam = teamButton(app, 'Fabrikam CI')
    await fabrikam.click({ button: 'right' })
    await app.getByRole('menuitem', { name: 'Rename' }).click()
    const field = app.getByRole('textbox', { name: 'New name for Fabrikam CI' })
    await expect(field).toBeFocused()
    await field.fill('Fabrikam QA')
    await field.press('Enter')
    await expect(teamButton(app, 'Fabrikam QA')).toBeVisible()

    // Keyboard: Shift+F10 opens the same menu; the "…" button does too.
    await teamButton(app, 'Fabrikam QA').focus()
    await app.keyboard.press('Shift+F10')
    await expect(app.getByRole('menu', { name: 'Fabrikam QA actions' })).toBeVisible()
    await expect(app.getByRole('menuitem', { name: 'Details…' })).toBeFocused()
    await app.keyboard.press('Escape')
    await expect(app.getByRole('menu')).toHaveCount(0)

    await app
      .getByRole('navigation', { name: 'Teams' })
      .getByRole('listitem')
      .filter({ hasText: 'Contoso Games' })
      .getByRole('button', { name: 'Team actions' })
      .click()
    await app.getByRole('menuitem', { name: 'Remove…' }).click()
    const sheet = app.getByRole('dialog', { name: 'Remove Contoso Games' })
    await expect(sheet).toContainText('Remove “Contoso Games”?')
    // A sheet is modal: the app's commands wait (no wizard over it), the window behind is inert.
    await app.keyboard.press('Control+N')
    await expect(app.getByRole('dialog')).toHaveCount(1)
    await expect(app.locator('main.content')).toHaveJSProperty('inert', true)
    await sheet.getByRole('button', { name: 'Remove' }).click()
    await expect(sheet).toHaveCount(0)
    await expect(app.locator('main.content')).toHaveJSProperty('inert', false)
    await expect(teamButton(app, 'Contoso Games')).toHaveCount(0)
    const accounts = await saved.secrets.accounts()
    expect(accounts.some((account) => account.startsWith(saved.teams[2]!.issuerId ?? '-'))).toBe(
      false,
    )
    expect(accounts).toHaveLength(2)
  })

  test('a keychain item without a team is offered back', async ({ page, sandbox, saved }) => {
    const extra = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER' })
    await saved.secrets.set(`${extra.issuerId}/${extra.keyId}`, extra.privateKeyPem)
    // Ascent looks for such items at start-up.
    const harness = await startHarness({
      apiBase: sandbox.url,
      dataDir: saved.dataDir,
      secrets: saved.secrets,
    })
    const app = page
    await app.goto(harness.url)
    const found = app.getByRole('region', { name: 'Found in Keychain' })
    await expect(found).toContainText(extra.keyId)
    await found.getByRole('button', { name: `Add key ${extra.keyId} back` }).click()
    const sheet = app.getByRole('dialog', { name: `Add key ${extra.keyId}` })
    await sheet.getByRole('textbox', { name: 'Name' }).fill('Release Automation')
    await sheet.getByRole('button', { name: 'Add Team' }).click()
    await expect(teamButton(app, 'Release Automation')).toContainText('Team key')
    await expect(found).toHaveCount(0)
    await harness.close()
  })
})

test.describe('screenshots', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`apps list and builds table, ${scheme}`, async ({ app }) => {
      await app.emulateMedia({ colorScheme: scheme })
      await expect(appOptions(app)).toHaveCount(30)
      await expect(
        appOptions(app).filter({ hasText: 'Northwind Mail' }).locator(NEWEST_BUILD),
      ).toBeVisible()
      await screenshot(app, `apps-${scheme}`)
      await openApp(app, 'Northwind Mail')
      await expect(app.locator('.builds-summary')).toContainText('5,000 builds · loaded 200')
      await buildsGrid(app).locator('.builds-body [aria-selected]').nth(2).click()
      await expect(app.getByRole('region', { name: 'Build details' })).toContainText('Beta groups')
      await expect(
        app.getByRole('region', { name: 'Build details' }).locator('.skeleton'),
      ).toHaveCount(0)
      await screenshot(app, `builds-${scheme}`)
    })
  }
})

test.describe('failures in place, over data still shown', () => {
  test('a key revoked while its apps are shown: the diagnosis above them with hints and the key’s actions, the apps and the team kept', async ({
    app,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' })
    await app.keyboard.press(`${COMMAND}+2`)
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
    await expect(appOptions(app)).toHaveCount(3)
    const sort = app.getByRole('combobox', { name: 'Sort apps' })
    await sort.selectOption('bundleId')
    const names = await appOptions(app).locator('.app-name').allTextContents()
    const fabrikam = teamButton(app, 'Fabrikam CI')
    await expect(fabrikam.getByRole('img', { name: 'Verified' })).toBeVisible()
    await expect(fabrikam).not.toContainText('Rejected by Apple')
    await openApp(app, 'Fabrikam Sketch')
    const buildRows = buildsGrid(app).locator('.builds-body [aria-selected]')
    await expect(buildRows.first()).toBeVisible()

    sandbox.admin.revokeKey(key.keyId)
    try {
      await app.keyboard.press(`${COMMAND}+r`)
      // Above both panes: the apps pane and the builds pane each keep what they showed.
      const notice = app.locator('.browser > .problem')
      await expect(notice).toHaveAccessibleName('Apple refused this key')
      await expect(notice).toHaveRole('alert')
      await expect(notice.getByRole('listitem').first()).toContainText('revoked')
      for (const action of ['Check Now', 'Re-import Key…', 'Retry']) {
        await expect(notice.getByRole('button', { name: action })).toBeVisible()
      }
      // The cached apps stay, as the user had sorted them; the team keeps its name and role, and
      // says in words that Apple refused its key.
      await expect(appOptions(app).locator('.app-name')).toHaveText(names)
      await expect(sort).toHaveValue('bundleId')
      await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
      await expect(fabrikam.getByRole('img', { name: 'Rejected by Apple' })).toBeVisible()
      await expect(fabrikam).toContainText('Rejected by Apple')
      await expect(fabrikam).toContainText('Developer')

      // Below it, the builds and a build never opened before name the problem without repeating it.
      await buildRows.nth(1).click()
      const builds = app.getByRole('region', { name: 'Builds' })
      await expect(builds).toContainText('Couldn’t refresh: Apple refused this key.')
      await expect(builds.getByRole('region', { name: 'Build details' })).toContainText(
        'Couldn’t load: Apple refused this key.',
      )
      await expect(builds.getByRole('listitem').filter({ hasText: 'revoked' })).toHaveCount(0)

      await notice.getByRole('button', { name: 'Re-import Key…' }).click()
      await expect(app.getByRole('dialog', { name: 'Re-import API Key' })).toBeVisible()
      await app.keyboard.press('Escape')
      await expect(app.getByRole('dialog', { name: 'Re-import API Key' })).toHaveCount(0)
      const asked = appleRequests(sandbox, key.keyId, APPS_LIST).length
      await notice.getByRole('button', { name: 'Retry' }).click()
      await expect
        .poll(() => appleRequests(sandbox, key.keyId, APPS_LIST).length)
        .toBeGreaterThan(asked)
      await expect(notice).toBeVisible()

      // Apple takes the key again: Check Now says so, and the notice goes without a Retry.
      sandbox.admin.unrevokeKey(key.keyId)
      await notice.getByRole('button', { name: 'Check Now' }).click()
      const check = app.getByRole('dialog', { name: 'Check Fabrikam CI' })
      await expect(check.locator('.check-ok')).toBeVisible()
      await check.getByRole('button', { name: 'Done' }).click()
      await expect(notice).toHaveCount(0)
      await expect(appOptions(app).locator('.app-name')).toHaveText(names)
      await expect(fabrikam.getByRole('img', { name: 'Verified' })).toBeVisible()
      await expect(fabrikam).not.toContainText('Rejected by Apple')
    } finally {
      sandbox.admin.unrevokeKey(key.keyId)
    }
  })

  test('a build’s details that fail on their own: the inspector gives the diagnosis with its hints, and Retry loads them', async ({
    app,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' })
    await app.keyboard.press(`${COMMAND}+2`)
    await openApp(app, 'Fabrikam Sketch')
    const rows = buildsGrid(app).locator('.builds-body [aria-selected]')
    await expect(rows.first()).toBeVisible()
    sandbox.admin.addFaults({
      kind: 'error',
      status: 503,
      match: { keyId: key.keyId, path: '/v1/builds/' },
    })
    await rows.first().click()
    const inspector = app.getByRole('region', { name: 'Build details' })
    const problem = inspector.getByRole('alert', { name: 'App Store Connect is having trouble' })
    await expect(problem.getByRole('listitem').first()).toContainText('Try again in a few minutes')

    sandbox.admin.clearFaults()
    await problem.getByRole('button', { name: 'Retry' }).click()
    await expect(problem).toHaveCount(0)
    await expect(inspector.locator('dt:text-is("App Store version") + dd')).toHaveText(
      /Not attached to a version|\(/,
    )
  })
})
