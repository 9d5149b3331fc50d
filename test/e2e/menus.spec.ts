/**
 * Copying and context menus in the browser harness, which draws the menus main shows natively on
 * the Mac (the same items, src/shared/menus.ts): apps, builds and teams, ⇧F10 from the keyboard,
 * ⌘C on the selected row, and the inspector's values selected and copied as text.
 */
import type { Page } from '@playwright/test'
import { appList, buildsGrid, COMMAND, expect, openApp, teamButton, test } from './browse-fixtures'
import { screenshot } from './screenshots'

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
})

function clipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText())
}

/** Puts something else on the clipboard, so a copy that did nothing cannot pass. */
async function clearClipboard(page: Page): Promise<void> {
  await page.evaluate(() => navigator.clipboard.writeText('nothing copied yet'))
}

test('an app’s menu copies its name, bundle ID, Apple ID and SKU, and opens its page', async ({
  app,
  harness,
}) => {
  const mail = appList(app).getByRole('option').filter({ hasText: 'Northwind Mail' }).first()
  const menu = app.getByRole('menu', { name: 'Northwind Mail actions' })
  await mail.click({ button: 'right' })
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Copy Name',
    'Copy Bundle ID',
    'Copy Apple ID',
    'Copy SKU',
    'Open in App Store Connect',
  ])
  // The right click selected the app, as in Finder.
  await expect(mail).toHaveAttribute('aria-selected', 'true')
  await screenshot(app, 'menu-app')

  const copies: [string, RegExp][] = [
    ['Copy Name', /^Northwind Mail$/],
    ['Copy Bundle ID', /^com\.northwind\.mail$/],
    ['Copy Apple ID', /^\d+$/],
    ['Copy SKU', /^NOR-MAIL-\d+$/],
  ]
  for (const [label, text] of copies) {
    await clearClipboard(app)
    if (!(await menu.isVisible())) await mail.click({ button: 'right' })
    await menu.getByRole('menuitem', { name: label }).click()
    await expect(menu).toBeHidden()
    await expect.poll(() => clipboard(app)).toMatch(text)
  }
  await mail.click({ button: 'right' })
  await menu.getByRole('menuitem', { name: 'Copy Apple ID' }).click()
  const appleId = await clipboard(app)

  // From the keyboard: ⇧F10 on the selected app opens the same menu.
  await appList(app).focus()
  await app.keyboard.press('Shift+F10')
  await expect(menu).toBeVisible()
  await expect(menu.getByRole('menuitem', { name: 'Copy Name' })).toBeFocused()
  await app.keyboard.press('End')
  await app.keyboard.press('Enter')
  await expect
    .poll(() => harness.openedUrls.at(-1))
    .toBe(`https://appstoreconnect.apple.com/apps/${appleId}`)
})

test('a build’s menu copies “5.9 (4998)”, its number and ID, and opens it in TestFlight', async ({
  app,
  harness,
}) => {
  await openApp(app, 'Northwind Mail')
  const row = buildsGrid(app).getByRole('row', { name: /5\.9 \(4998\)/ })
  const menu = app.getByRole('menu', { name: 'Build 4998 actions' })
  await clearClipboard(app)
  await row.click({ button: 'right' })
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Copy “5.9 (4998)”',
    'Copy Build Number',
    'Copy Build ID',
    'Open in TestFlight',
  ])
  await expect(row).toHaveAttribute('aria-selected', 'true')
  await screenshot(app, 'menu-build')
  await menu.getByRole('menuitem', { name: 'Copy “5.9 (4998)”' }).click()
  await expect.poll(() => clipboard(app)).toBe('5.9 (4998)')

  await row.click({ button: 'right' })
  await menu.getByRole('menuitem', { name: 'Copy Build Number' }).click()
  await expect.poll(() => clipboard(app)).toBe('4998')

  await row.click({ button: 'right' })
  await menu.getByRole('menuitem', { name: 'Copy Build ID' }).click()
  const buildId = await clipboard(app)
  expect(buildId).not.toBe('4998')

  await buildsGrid(app).focus()
  await app.keyboard.press('Shift+F10')
  await menu.getByRole('menuitem', { name: 'Open in TestFlight' }).click()
  await expect
    .poll(() => harness.openedUrls.at(-1))
    .toMatch(
      new RegExp(`^https://appstoreconnect\\.apple\\.com/apps/\\d+/testflight/\\w+/${buildId}$`),
    )
})

test('⌘C copies the selected app or build as it is named, and the inspector’s values as selected', async ({
  app,
}) => {
  await openApp(app, 'Northwind Mail')
  await clearClipboard(app)
  await appList(app).focus()
  await app.keyboard.press(`${COMMAND}+c`)
  await expect.poll(() => clipboard(app)).toBe('Northwind Mail')

  const row = buildsGrid(app).getByRole('row', { name: /5\.9 \(4998\)/ })
  await row.click()
  await app.keyboard.press(`${COMMAND}+c`)
  await expect.poll(() => clipboard(app)).toBe('5.9 (4998)')

  // The inspector's values are text: select one and copy it.
  const inspector = app.getByRole('region', { name: 'Build details' })
  const minimum = inspector.locator('dt:has-text("Minimum OS") + dd')
  await expect(minimum).toHaveCSS('user-select', 'text')
  await minimum.selectText()
  await app.keyboard.press(`${COMMAND}+c`)
  await expect.poll(() => clipboard(app)).toBe(await minimum.innerText())
})

test('a team’s menu: its seven actions; Check Now, Rename and Remove carried out', async ({
  app,
}) => {
  const fabrikam = teamButton(app, 'Fabrikam CI')
  const menu = app.getByRole('menu', { name: 'Fabrikam CI actions' })
  await fabrikam.click({ button: 'right' })
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Details…',
    'Check Now',
    'Rename',
    'Replace Key…',
    'Export Key…',
    'Copy Token…',
    'Remove…',
  ])
  await screenshot(app, 'menu-team')
  await menu.getByRole('menuitem', { name: 'Rename' }).click()
  await expect(app.getByRole('textbox', { name: 'New name for Fabrikam CI' })).toBeFocused()
  await app.keyboard.press('Escape')

  await fabrikam.click({ button: 'right' })
  await menu.getByRole('menuitem', { name: 'Remove…' }).click()
  const sheet = app.getByRole('dialog')
  await expect(sheet).toContainText('Fabrikam CI')
  await sheet.getByRole('button', { name: 'Cancel' }).click()
  await expect(sheet).toBeHidden()
  await expect(fabrikam).toBeVisible()
})
