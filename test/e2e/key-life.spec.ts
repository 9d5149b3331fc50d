/**
 * A saved key's life, walked as a user would: its details (⌘I) and Copy; Export Key… in each
 * format, whose file or clipboard signs a token the sandbox accepts; Copy Token…, whose token is
 * good for what was picked and nothing else; Replace Key… to a new key of the same team, and
 * refused for another team's key or a revoked one; a key already saved recognised as it comes in.
 * Through all of it, no piece of a private key or a token reaches the page, an answer or an event.
 */
import { createHash, createPublicKey } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import type { Sandbox, SandboxKey } from '../sandbox'
import { signToken } from '../sandbox/support'
import { createLogger } from '../../src/main/log'
import { startHarness } from '../harness/server'
import { COMMAND, expect, teamButton, test as browseTest, toolbarTitle } from './browse-fixtures'
import { screenshot } from './screenshots'
import { secretFragments } from './secret-fragments'

/** Everything main logged during the test: searched for secrets like the page is. */
let logged: string[] = []

const test = browseTest.extend({
  harness: async ({ sandbox, saved }, use) => {
    logged = []
    const harness = await startHarness({
      apiBase: sandbox.url,
      dataDir: saved.dataDir,
      secrets: saved.secrets,
      startRadar: false,
      log: createLogger((line) => logged.push(line)),
    })
    await use(harness)
    await harness.close()
  },
})

test.use({ permissions: ['clipboard-read', 'clipboard-write'] })

let exportDir = ''
test.beforeEach(async () => {
  exportDir = await mkdtemp(join(tmpdir(), 'ascent-export-'))
})
test.afterEach(async () => {
  await rm(exportDir, { recursive: true, force: true })
})

function fingerprintOf(pem: string): string {
  const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(spki).digest('hex')
}

/** A team's action from its menu in the sidebar (the harness draws the menu in the page). */
async function teamAction(page: Page, team: string, action: string): Promise<Locator> {
  await teamButton(page, team).click({ button: 'right' })
  await page
    .getByRole('menu', { name: `${team} actions` })
    .getByRole('menuitem', { name: action })
    .click()
  return page.getByRole('dialog')
}

/** Whether the sandbox answers `path` with `token` (its HTTP status). */
async function statusWith(sandbox: Sandbox, token: string, path: string): Promise<number> {
  const response = await fetch(`${sandbox.url}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  return response.status
}

/** A token signed with `pem` as the saved key's, to prove an exported key is the real one. */
async function statusSignedWith(sandbox: Sandbox, key: SandboxKey, pem: string): Promise<number> {
  return statusWith(sandbox, await signToken({ ...key, privateKeyPem: pem }), '/v1/apps?limit=1')
}

/** Nothing the page received (answers, events, its DOM) or main logged holds these secrets. */
async function expectNoSecretReachedThePage(
  page: Page,
  harness: { ipcLog: { response: unknown }[]; eventLog: unknown[] },
  secrets: string[],
) {
  const answers = JSON.stringify(harness.ipcLog.map((exchange) => exchange.response))
  const pushed = JSON.stringify(harness.eventLog)
  const dom = await page.content()
  const log = logged.join('\n')
  for (const secret of secrets) {
    expect(answers).not.toContain(secret)
    expect(pushed).not.toContain(secret)
    expect(dom).not.toContain(secret)
    expect(log).not.toContain(secret)
  }
  expect(answers).not.toContain('PRIVATE KEY')
  expect(dom).not.toContain('PRIVATE KEY')
}

test('details (⌘I): the IDs, fingerprint and history; Copy copies an ID; Integrations opens', async ({
  app,
  harness,
  sandbox,
}) => {
  const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  await app.keyboard.press(`${COMMAND}+i`)
  const sheet = app.getByRole('dialog', { name: 'Northwind Labs details' })
  await expect(sheet).toBeVisible()
  // Done is the sheet's default: focused, so Return or Space closes it.
  await expect(sheet.getByRole('button', { name: 'Done' })).toBeFocused()
  const fact = (label: string) => sheet.locator(`dt:text-is("${label}") + dd`)
  await expect(fact('Issuer ID')).toContainText(key.issuerId ?? 'none')
  await expect(fact('Key ID')).toContainText(key.keyId)
  await expect(fact('Role')).toContainText('Admin · as you entered it')
  await expect(fact('Fingerprint')).toContainText(fingerprintOf(key.privateKeyPem))
  await expect(sheet.getByRole('region', { name: 'History' })).toContainText('Added')
  await screenshot(app, 'key-details')
  await app.emulateMedia({ colorScheme: 'dark' })
  await expect(sheet).toHaveCSS('background-color', 'rgb(30, 30, 30)')
  await screenshot(app, 'key-details-dark')
  await app.emulateMedia({ colorScheme: 'light' })
  // In the smallest window the facts scroll; Done and Check Now stay in view.
  await app.setViewportSize({ width: 900, height: 600 })
  await expect(sheet.getByRole('button', { name: 'Done' })).toBeInViewport({ ratio: 1 })
  await screenshot(app, 'key-details-900x600')
  await app.setViewportSize({ width: 1100, height: 720 })

  await app.evaluate(() => navigator.clipboard.writeText('nothing copied yet'))
  await sheet.getByRole('button', { name: 'Copy Key ID' }).click()
  await expect.poll(() => app.evaluate(() => navigator.clipboard.readText())).toBe(key.keyId)
  await expect(sheet.getByRole('button', { name: 'Copy Key ID' })).toContainText('Copied')
  await sheet.getByRole('button', { name: 'Copy Issuer ID' }).click()
  await expect.poll(() => app.evaluate(() => navigator.clipboard.readText())).toBe(key.issuerId)

  await sheet.getByRole('button', { name: /Open Integrations/ }).click()
  await expect
    .poll(() => harness.openedUrls)
    .toEqual(['https://appstoreconnect.apple.com/access/integrations/api'])

  // Check Now hands over to the check's own sheet.
  await sheet.getByRole('button', { name: 'Check Now' }).click()
  const check = app.getByRole('dialog', { name: 'Check Northwind Labs' })
  await expect(check).toContainText('Apple accepted')
  await check.getByRole('button', { name: 'Done' }).click()
  await expect(app.getByRole('dialog')).toHaveCount(0)
  // The check confirmed the role and was recorded: the details read again say so.
  await app.keyboard.press(`${COMMAND}+i`)
  await expect(fact('Role')).toContainText('Admin · confirmed by Apple')
  await expect(sheet.getByRole('region', { name: 'History' })).toContainText('Checked')
})

test('Export Key…: each format to a file (0600) signs a token the sandbox accepts; CI variables also to the clipboard', async ({
  app,
  harness,
  sandbox,
}) => {
  const key = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  const sheet = await teamAction(app, 'Northwind Labs', 'Export Key…')
  await expect(sheet.getByRole('radio')).toHaveCount(3)
  await expect(sheet).toContainText(`leaves the`)

  // fastlane's api_key_path JSON.
  const fastlanePath = join(exportDir, 'api_key.json')
  harness.saveDialogAnswers.push(fastlanePath)
  await sheet.getByRole('radio', { name: /fastlane/ }).check()
  await sheet.getByRole('button', { name: 'Save…' }).click()
  await expect(sheet.getByRole('status')).toContainText(`Saved to ${fastlanePath}`)
  const fastlane = JSON.parse(await readFile(fastlanePath, 'utf8')) as Record<string, unknown>
  expect(fastlane).toMatchObject({ key_id: key.keyId, issuer_id: key.issuerId, in_house: false })
  expect(await statusSignedWith(sandbox, key, String(fastlane.key))).toBe(200)
  expect((await stat(fastlanePath)).mode & 0o777).toBe(0o600)
  expect(harness.saveDialogRequests.at(-1)?.defaultPath).toMatch(/api_key_.+\.json$/)
  await screenshot(app, 'key-export')

  // The .p8, as Apple gave it.
  const p8Path = join(exportDir, `AuthKey_${key.keyId}.p8`)
  harness.saveDialogAnswers.push(p8Path)
  await sheet.getByRole('radio', { name: `AuthKey_${key.keyId}.p8` }).check()
  await sheet.getByRole('button', { name: 'Save…' }).click()
  await expect(sheet.getByRole('status')).toContainText(`Saved to ${p8Path}`)
  expect(await statusSignedWith(sandbox, key, await readFile(p8Path, 'utf8'))).toBe(200)

  // The CI variables: the snippet and commands shown, the file, then the clipboard.
  await sheet.getByRole('radio', { name: /CI variables/ }).check()
  const ci = sheet.getByRole('region', { name: 'CI setup' })
  await expect(ci).toContainText('ASC_KEY_P8_BASE64')
  await expect(ci).toContainText('gh secret set ASC_ISSUER_ID')
  await screenshot(app, 'key-export-ci')
  const envPath = join(exportDir, 'asc.env')
  harness.saveDialogAnswers.push(envPath)
  await sheet.getByRole('button', { name: 'Save…' }).click()
  await expect(sheet.getByRole('status')).toContainText(`Saved to ${envPath}`)
  const env = Object.fromEntries(
    (await readFile(envPath, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  )
  expect(env).toMatchObject({ ASC_ISSUER_ID: key.issuerId, ASC_KEY_ID: key.keyId })
  const fromEnv = Buffer.from(String(env.ASC_KEY_P8_BASE64), 'base64').toString('utf8')
  expect(await statusSignedWith(sandbox, key, fromEnv)).toBe(200)

  await sheet.getByRole('button', { name: 'Copy', exact: true }).click()
  await expect(sheet.getByRole('status')).toContainText('On the clipboard until')
  const copied = Buffer.from(harness.clipboard.text, 'base64').toString('utf8')
  expect(await statusSignedWith(sandbox, key, copied)).toBe(200)

  // Canceling the save dialog writes nothing and says nothing went wrong.
  harness.saveDialogAnswers.push(null)
  const before = harness.saveDialogRequests.length
  await sheet.getByRole('button', { name: 'Save…' }).click()
  await expect.poll(() => harness.saveDialogRequests.length).toBe(before + 1)
  await expect(sheet.getByRole('alert')).toHaveCount(0)

  // Main asked for the user's presence before each export, and the history has them all.
  expect(harness.presencePrompts.length).toBeGreaterThanOrEqual(4)
  await sheet.getByRole('button', { name: 'Done' }).click()
  await app.keyboard.press(`${COMMAND}+i`)
  const history = app.getByRole('dialog').getByRole('region', { name: 'History' })
  await expect(history.getByRole('listitem').filter({ hasText: /saved to|copied to/ })).toHaveCount(
    4,
  )
  await expect(history).toContainText(`saved to ${fastlanePath}`)

  await expectNoSecretReachedThePage(app, harness, secretFragments(key.privateKeyPem))
})

test('Copy Token…: a read-only token on the clipboard, good for the requests picked and no others', async ({
  app,
  harness,
  sandbox,
}) => {
  const sheet = await teamAction(app, 'Northwind Labs', 'Copy Token…')
  await expect(sheet.getByRole('checkbox', { name: /Apps/ })).toBeChecked()
  await expect(sheet.getByRole('checkbox', { name: /Builds/ })).not.toBeChecked()
  await sheet.getByRole('combobox', { name: 'Expires after' }).selectOption('10')
  await sheet.getByRole('button', { name: 'Copy Token' }).click()
  await expect(sheet.getByRole('status')).toContainText('The token is on the clipboard until')
  const token = harness.clipboard.text
  expect(token.split('.')).toHaveLength(3)
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    iat: number
    exp: number
    scope: string[]
  }
  expect(claims.exp - claims.iat).toBeLessThanOrEqual(600)
  expect(claims.scope).toEqual(['GET /v1/apps'])
  expect(await statusWith(sandbox, token, '/v1/apps?limit=1')).toBe(200)
  expect(await statusWith(sandbox, token, '/v1/builds?limit=1')).toBe(401)
  const curl = sheet.locator('pre')
  await expect(curl).toContainText('curl -H "Authorization: Bearer $(')
  await expect(curl).not.toContainText(token)
  await screenshot(app, 'key-token')

  // No kind of request picked: nothing to sign, and the sheet says why.
  await sheet.getByRole('checkbox', { name: /Apps/ }).uncheck()
  await expect(sheet.getByRole('button', { name: 'Copy Again' })).toBeDisabled()
  await expect(sheet).toContainText('Pick at least one kind of request.')

  await expectNoSecretReachedThePage(app, harness, [token, token.split('.')[2] ?? token])
})

/** The Replace Key wizard up to its last step, with `key` pasted and checked. */
async function checkReplacement(
  page: Page,
  clipboard: { text: string },
  key: SandboxKey,
  options: { teamIssuerId: string | null },
) {
  const wizard = page.getByRole('dialog', { name: 'Replace API Key' })
  await expect(wizard.getByRole('heading', { level: 1 })).toContainText('Replace the Key of')
  clipboard.text = key.privateKeyPem
  await wizard.getByRole('button', { name: 'Paste from Clipboard' }).click()
  await wizard.getByRole('button', { name: 'Continue' }).click()
  // The IDs start from the team's issuer ID, without the old key's ID.
  await expect(wizard.getByLabel('Issuer ID')).toHaveValue(options.teamIssuerId ?? '')
  await expect(wizard.getByLabel('Key ID')).toHaveValue('')
  await wizard.getByLabel('Issuer ID').fill(key.issuerId ?? '')
  await wizard.getByLabel('Key ID').fill(key.keyId)
  await wizard.getByLabel('Role you picked (optional)').selectOption('')
  await wizard.getByRole('button', { name: 'Check Key' }).click()
  return wizard
}

test('Replace Key…: a new key of the same team takes over; the old one is gone; revoke reminder', async ({
  app,
  harness,
  sandbox,
  saved,
}) => {
  const old = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  const next = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER' })
  await teamAction(app, 'Northwind Labs', 'Replace Key…')
  const wizard = await checkReplacement(app, harness.clipboard, next, {
    teamIssuerId: old.issuerId,
  })
  await wizard.getByRole('button', { name: 'Continue' }).click()
  await expect(wizard).toContainText(`only then deletes key ${old.keyId}`)
  await wizard.getByRole('button', { name: 'Replace Key' }).click()

  await expect(wizard.getByRole('heading', { name: 'Key replaced' })).toBeVisible()
  await expect(wizard.getByRole('region', { name: `Now revoke key ${old.keyId}` })).toBeVisible()
  await screenshot(app, 'key-replaced')
  await wizard.getByRole('button', { name: /Open Integrations/ }).click()
  await expect.poll(() => harness.openedUrls).toHaveLength(1)
  await wizard.getByRole('button', { name: 'Done' }).click()
  await expect(wizard).toHaveCount(0)

  // Same team, same name, on its new key; the old keychain item is gone.
  await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
  const teams = await app.evaluate(() => window.ascent.teams.list())
  if (!teams.ok) throw new Error(teams.error.message)
  const northwind = teams.value.teams.find((team) => team.name === 'Northwind Labs')
  expect(northwind).toMatchObject({ id: saved.teams[0]?.id, keyId: next.keyId })
  expect(await harness.secrets.get(`${old.issuerId}/${old.keyId}`)).toBeNull()
  expect(await harness.secrets.get(`${next.issuerId}/${next.keyId}`)).toContain('PRIVATE KEY')
  await app.keyboard.press(`${COMMAND}+i`)
  await expect(app.getByRole('dialog').getByRole('region', { name: 'History' })).toContainText(
    `Rotated from ${old.keyId} to ${next.keyId}`,
  )

  await expectNoSecretReachedThePage(app, harness, [
    ...secretFragments(old.privateKeyPem),
    ...secretFragments(next.privateKeyPem),
  ])
})

test('Replace Key… refuses another team’s key and a revoked key; the old key keeps working', async ({
  app,
  harness,
  sandbox,
}) => {
  const northwind = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
  const fabrikam = sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' })
  // A good key, checked with its own team's issuer ID: Apple accepts it, but not for Fabrikam.
  const otherTeams = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER' })
  await teamAction(app, 'Fabrikam CI', 'Replace Key…')
  const wizard = await checkReplacement(app, harness.clipboard, otherTeams, {
    teamIssuerId: fabrikam.issuerId,
  })
  await wizard.getByRole('button', { name: 'Continue' }).click()
  await wizard.getByRole('button', { name: 'Replace Key' }).click()
  const refusal = wizard.getByRole('alert')
  await expect(refusal).toContainText('belongs to another team')
  await expect(refusal).toContainText(`still uses key ${fabrikam.keyId}`)
  // Said once, where it happened.
  await expect(wizard.getByText(/belongs to another team/)).toHaveCount(1)
  await screenshot(app, 'key-replace-refused')
  await wizard.getByRole('button', { name: 'Cancel' }).click()

  const revoked = sandbox.findKey({ team: 'fabrikam', revoked: true })
  await teamAction(app, 'Fabrikam CI', 'Replace Key…')
  const again = await checkReplacement(app, harness.clipboard, revoked, {
    teamIssuerId: fabrikam.issuerId,
  })
  await expect(again.getByRole('alert')).toBeVisible()
  await expect(again.getByRole('button', { name: 'Continue' })).toHaveCount(0)
  await again.getByRole('button', { name: 'Cancel' }).click()

  const teams = await app.evaluate(() => window.ascent.teams.list())
  if (!teams.ok) throw new Error(teams.error.message)
  expect(teams.value.teams.map((team) => team.keyId)).toEqual(
    expect.arrayContaining([northwind.keyId, fabrikam.keyId]),
  )
  expect(harness.ipcLog.filter((entry) => entry.channel === 'keys:rotate')).toHaveLength(1)
})

test('a key already saved is recognised as it comes in: open its team instead', async ({
  app,
  harness,
  sandbox,
}) => {
  await teamButton(app, 'Fabrikam CI').click()
  await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
  await app.keyboard.press(`${COMMAND}+n`)
  const wizard = app.getByRole('dialog', { name: 'Add API Key' })
  harness.clipboard.text = sandbox.findKey({ team: 'northwind', role: 'ADMIN' }).privateKeyPem
  await wizard.getByRole('button', { name: 'Paste from Clipboard' }).click()
  await expect(wizard.getByRole('status').filter({ hasText: 'already saved as' })).toContainText(
    'This key is already saved as “Northwind Labs”.',
  )
  await expect(wizard.getByRole('button', { name: 'Continue' })).toBeDisabled()
  await screenshot(app, 'wizard-saved-as')
  await wizard.getByRole('button', { name: 'Open “Northwind Labs”' }).click()
  await expect(wizard).toHaveCount(0)
  await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
})
