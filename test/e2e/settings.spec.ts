/**
 * Settings (⌘,): every setting main keeps, saved to settings.json as it changes and shown again
 * from there; where keys and data live; a damaged settings file reset with a message.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { COMMAND, expect, test, toolbarTitle } from './browse-fixtures'
import { screenshot } from './screenshots'

test('⌘, opens Settings; each change is saved in settings.json and shown again', async ({
  app,
  saved,
}) => {
  await app.keyboard.press(`${COMMAND}+,`)
  const sheet = app.getByRole('dialog', { name: 'Settings' })
  await expect(sheet.getByRole('radio', { name: 'System' })).toBeChecked()
  await expect(sheet.getByRole('checkbox')).toHaveCount(6)
  await expect(sheet).toContainText(saved.dataDir)
  await screenshot(app, 'settings')

  await sheet.getByRole('radio', { name: 'Dark' }).check()
  await sheet.getByRole('checkbox', { name: /A TestFlight build expires soon/ }).uncheck()
  const budget = sheet.getByRole('slider', { name: /hourly requests/ })
  await sheet.getByRole('checkbox', { name: /in the background/ }).check()
  await expect(budget).toBeEnabled()
  await budget.fill('25')
  await expect(sheet.locator('output')).toHaveText('25%')

  const file = join(saved.dataDir, 'settings.json')
  await expect
    .poll(async () => JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as object)
    .toMatchObject({
      appearance: 'dark',
      backgroundRefresh: { enabled: true, budgetPercent: 25 },
      notifications: { expiringSoon: false },
    })

  await sheet.getByRole('button', { name: 'Done' }).click()
  await expect(sheet).toBeHidden()
  await app.reload()
  await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
  await app.keyboard.press(`${COMMAND}+,`)
  await expect(sheet.getByRole('radio', { name: 'Dark' })).toBeChecked()
  await expect(sheet.getByRole('checkbox', { name: /expires soon/ })).not.toBeChecked()
  await expect(budget).toHaveValue('25')
  await app.keyboard.press('Escape')
  await expect(sheet).toBeHidden()
})

test('a damaged settings file: the defaults, and Settings says what happened', async ({
  page,
  harness,
  saved,
}) => {
  await writeFile(join(saved.dataDir, 'settings.json'), '{"version": 1, "appearance": "pur')
  await page.goto(harness.url)
  await expect(toolbarTitle(page)).toHaveText('Northwind Labs')
  await page.keyboard.press(`${COMMAND}+,`)
  const sheet = page.getByRole('dialog', { name: 'Settings' })
  await expect(sheet.getByRole('status').filter({ hasText: 'damaged' })).toContainText(
    'Your settings file was damaged, so Ascent started with the default settings.',
  )
  await expect(sheet.getByRole('radio', { name: 'System' })).toBeChecked()
  await screenshot(page, 'settings-reset')
})

test('Clear Cached Data empties the cache folder, keeps the keys, and the apps come back from Apple', async ({
  app,
  harness,
  saved,
  sandbox,
}) => {
  await expect(app.getByRole('listbox', { name: 'Apps' }).getByRole('option')).toHaveCount(30)
  await harness.ascent.cache.flush()
  const cacheDir = join(saved.dataDir, 'cache')
  expect((await readdir(cacheDir)).filter((name) => name.endsWith('.json'))).not.toEqual([])
  const keysBefore = await readFile(join(saved.dataDir, 'keys.json'), 'utf8')

  await app.keyboard.press(`${COMMAND}+,`)
  const sheet = app.getByRole('dialog', { name: 'Settings' })
  sandbox.admin.resetRequestLog()
  await sheet.getByRole('button', { name: 'Clear Cached Data' }).click()
  await expect(sheet.getByRole('status').last()).toContainText('Cleared')
  expect((await readdir(cacheDir)).filter((name) => name.endsWith('.json'))).toEqual([])
  expect(await readFile(join(saved.dataDir, 'keys.json'), 'utf8')).toBe(keysBefore)

  // The screen on view reads its apps from Apple again.
  await sandbox.admin.waitForRequest((entry) => entry.path.startsWith('/v1/apps?'))
  await sheet.getByRole('button', { name: 'Done' }).click()
  await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
  await expect(app.getByRole('listbox', { name: 'Apps' }).getByRole('option')).toHaveCount(30)
})
