/**
 * Browsing end to end: real main modules, preload and renderer in Chromium, against the Apple
 * sandbox, with three saved teams (Northwind: Admin key, 30 apps, one with 5,000 builds; Fabrikam:
 * Developer key; Contoso: unsigned agreements).
 */
import type { Page } from '@playwright/test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHarness } from '../harness/server'
import {
  answersOn,
  appList,
  appOptions,
  buildsGrid,
  COMMAND,
  expect,
  openApp,
  renderedRows,
  teamButton,
  test,
  toolbarTitle,
} from './browse-fixtures'

const SCREENSHOTS = 'docs/screenshots'
const MAX_ROWS = 150

async function screenshot(page: Page, name: string) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)))
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, animations: 'disabled' })
}

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
    const before = appleRequests(sandbox, northwindKey.keyId, '/v1/apps').length
    await teamButton(app, 'Northwind Labs').click()
    await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
    await expect(appOptions(app)).toHaveCount(northwind.appIds.length)
    expect(appleRequests(sandbox, northwindKey.keyId, '/v1/apps').length).toBe(before)

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
    await expect(app.locator('.app-latest')).toHaveCount(30)
    await app.keyboard.press(`${COMMAND}+2`)
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
    await expect(appOptions(app)).toHaveCount(3)

    // Northwind's key answers after 2.5 s from now on; its cache is warm, so refresh it for real.
    sandbox.admin.addFaults({ kind: 'latency', ms: 2_500, match: { keyId: northwind.keyId } })
    await app.keyboard.press(`${COMMAND}+1`)
    await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
    await app.keyboard.press(`${COMMAND}+r`)
    await expect.poll(() => appleRequests(sandbox, northwind.keyId, '/v1/apps').length).toBe(2)
    await app.keyboard.press(`${COMMAND}+2`)
    await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')

    // Main canceled Northwind's request: the answer is a cancellation, not Northwind's apps.
    await expect
      .poll(
        () =>
          answersOn(harness, 'apps:list').filter(
            (entry) =>
              (entry.request as { teamId: string }).teamId === northwind.keyId &&
              (entry.response as { ok: boolean }).ok === false,
          ).length,
      )
      .toBeGreaterThan(0)
    const canceled = answersOn(harness, 'apps:list').find(
      (entry) => (entry.response as { ok: boolean }).ok === false,
    )
    expect(canceled?.response).toMatchObject({ ok: false, error: { code: 'browse.canceled' } })

    // Well after Northwind's latency: still Fabrikam's apps, nothing of Northwind.
    await app.waitForTimeout(3_000)
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
    const sku = (await appOptions(app).locator('.app-sku').textContent())?.replace(' · ', '') ?? ''
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
    await expect(mail.locator('.app-latest')).toContainText('(5000)')
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
      .toMatch(/^https:\/\/appstoreconnect\.apple\.com\/apps\/\d+\/testflight$/)
  })
})

test.describe('builds', () => {
  test('the 5,000-build app: first screen in one request, scroll to the end, never more than 150 rows', async ({
    app,
    sandbox,
  }) => {
    const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    const big = sandbox.fixtures.bigApp
    await expect(appOptions(app)).toHaveCount(30)
    // Every app's newest build is in: the activity requests are done.
    await expect(app.locator('.app-latest')).toHaveCount(30)
    sandbox.admin.resetRequestLog()
    await openApp(app, big.name)
    await expect(buildsGrid(app).getByRole('row', { name: /5\.9 \(5000\)/ })).toBeVisible()
    // The app's first request is its newest page, by upload date; the rest comes after.
    const requestsForApp = () =>
      appleRequests(sandbox, key.keyId, '/v1/')
        .map((entry) => decodeURIComponent(entry.path))
        .filter((path) => path.includes(`filter[app]=${big.id}`))
    const [first] = requestsForApp()
    expect(first).toMatch(/^\/v1\/builds\?.*sort=-uploadedDate/)
    expect(first).not.toContain('filter[preReleaseVersion]')

    const summary = app.locator('.builds-summary')
    await expect(summary).toContainText('5,000 builds')
    await expect(summary).not.toContainText('loaded')
    const rest = requestsForApp().slice(1)
    expect(rest.some((path) => path.startsWith('/v1/preReleaseVersions'))).toBe(true)
    expect(await renderedRows(app)).toBeLessThanOrEqual(MAX_ROWS)

    // Scroll to the end in steps, counting rows at every position.
    const scroller = buildsGrid(app).locator('.builds-scroll')
    const height = await scroller.evaluate((element) => element.scrollHeight)
    expect(height).toBeGreaterThan(5000 * 28)
    let most = 0
    for (let top = 0; top <= height; top += Math.round(height / 25)) {
      await scroller.evaluate((element, to) => element.scrollTo(0, to), top)
      await app.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)))
      most = Math.max(most, await renderedRows(app))
    }
    await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight))
    const oldest = buildsGrid(app).getByRole('row', { name: /\(1\)/ })
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
    await expect(row(inApp(cases.expiringSoon)[0]!)).toContainText(/Expires in [1-7] days?/)
    await expect(row(inApp(cases.expiringSoon)[0]!).locator('.expiry-soon svg')).toBeVisible()
    await expect(row(inApp(cases.stuckProcessing)[0]!)).toContainText('Processing')
    await expect(row(inApp(cases.missingCompliance)[0]!)).toContainText('Compliance missing')
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
    await expect(app.getByRole('menuitem', { name: 'Rename' })).toBeFocused()
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
    await sheet.getByRole('button', { name: 'Remove' }).click()
    await expect(sheet).toHaveCount(0)
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
        appOptions(app).filter({ hasText: 'Northwind Mail' }).locator('.app-latest'),
      ).toBeVisible()
      await screenshot(app, `apps-${scheme}`)
      await openApp(app, 'Northwind Mail')
      await expect(app.locator('.builds-summary')).not.toContainText('loaded')
      await buildsGrid(app).locator('.builds-body [aria-selected]').nth(2).click()
      await expect(app.getByRole('region', { name: 'Build details' })).toContainText('Beta groups')
      await expect(
        app.getByRole('region', { name: 'Build details' }).locator('.skeleton'),
      ).toHaveCount(0)
      await screenshot(app, `builds-${scheme}`)
    })
  }
})
