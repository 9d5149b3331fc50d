/**
 * The key setup wizard, end to end: real main modules, real preload, real renderer, the Apple
 * sandbox behind the live check. Keys are generated at run time into a temp folder.
 */
import { basename } from 'node:path'
import type { Page } from '@playwright/test'
import type { Harness } from '../harness/server'
import type { Sandbox, SandboxKey } from '../sandbox'
import {
  COMMAND,
  dropFile,
  expect,
  fingerprintOfPem,
  openWizard,
  requestsOn,
  test,
} from './wizard-fixtures'
import { screenshot } from './screenshots'

const ISSUER = '57246542-96fe-1a63-e053-0824d011072a'

/** The wizard's screenshots are named after their step. */
const screenshotStep = (page: Page, step: string) => screenshot(page, `wizard-${step}`)

/** A working team key of `role`, its team, and the .p8 file the sandbox wrote for it. */
function teamKeyWithFile(sandbox: Sandbox, role: NonNullable<SandboxKey['role']>) {
  const key = sandbox.findKey({ type: 'team', role, revoked: false })
  const team = sandbox.teams.find((candidate) => candidate.name === key.teamName)
  if (!key.p8Path || !team) throw new Error('the sandbox wrote no key file')
  return { key, team, p8Path: key.p8Path }
}

/** Opens the wizard and imports `path` through the file dialog. */
async function importByDialog(app: Page, harness: Harness, path: string) {
  const wizard = await openWizard(app)
  harness.dialogAnswers.push(path)
  await wizard.getByRole('button', { name: 'Choose File…' }).click()
  await expect(wizard.getByRole('region', { name: 'Imported key' })).toBeVisible()
  const imported = harness.ipcLog.find((entry) => entry.channel === 'keys:chooseFile')
    ?.response as { value: { draft: { draftId: string } } }
  return { wizard, draftId: imported.value.draft.draftId }
}

test.describe('key file', () => {
  test('a chosen file is read by main; the page learns only its public facts', async ({
    app,
    harness,
    keyFiles,
  }) => {
    const key = await keyFiles.p256File('AuthKey_ABCDE12345.p8')
    const wizard = await openWizard(app)
    await expect(wizard.getByRole('button', { name: 'Continue' })).toBeDisabled()

    harness.dialogAnswers.push(key.path)
    await wizard.getByRole('button', { name: 'Choose File…' }).click()

    const facts = wizard.getByRole('region', { name: 'Imported key' })
    await expect(facts).toContainText('AuthKey_ABCDE12345.p8')
    await expect(facts).toContainText('ABCDE12345')
    await expect(facts).toContainText(key.fingerprintShort)
    // Return goes on from here.
    await expect(wizard.getByRole('button', { name: 'Continue' })).toBeFocused()

    const everything = JSON.stringify(harness.ipcLog)
    expect(everything).not.toContain('PRIVATE KEY')
    expect(everything).not.toContain(key.pem.split('\n')[1])

    // A canceled dialog changes nothing.
    harness.dialogAnswers.push(null)
    await wizard.getByRole('button', { name: 'Choose File…' }).click()
    await expect.poll(() => requestsOn(harness, 'keys:chooseFile').length).toBe(2)
    await expect(facts).toContainText(key.fingerprintShort)
    await expect(wizard.getByRole('alert')).toHaveCount(0)
    // Focus stays where it was, so Esc and Tab keep working in the sheet.
    await expect(wizard.getByRole('button', { name: 'Choose File…' })).toBeFocused()

    await wizard.getByRole('button', { name: 'Continue' }).click()
    await expect(wizard.getByLabel('Key ID')).toHaveValue('ABCDE12345')
  })

  test('a file dropped anywhere on the window is imported by its path', async ({
    app,
    harness,
    keyFiles,
  }) => {
    const key = await keyFiles.p256File('AuthKey_DROP123456.p8')
    const wizard = await openWizard(app)
    await screenshotStep(app, 'key-file')

    // Not on the drop zone: on the window's sidebar, behind the sheet.
    await dropFile(app, '.sidebar', basename(key.path), key.path)

    await expect(wizard.getByRole('region', { name: 'Imported key' })).toContainText(
      key.fingerprintShort,
    )
    expect(requestsOn(harness, 'keys:importDropped')).toEqual([{ path: key.path }])
    expect(new URL(app.url()).pathname).toBe('/')
    await screenshotStep(app, 'key-file-imported')
  })

  test('the clipboard is read by main, from the button and from ⌘V, and can be cleared', async ({
    app,
    harness,
    keyFiles,
  }) => {
    const first = keyFiles.p256()
    const second = keyFiles.p256()
    const wizard = await openWizard(app)
    const facts = wizard.getByRole('region', { name: 'Imported key' })

    harness.clipboard.text = first.pem
    await wizard.getByRole('button', { name: 'Paste from Clipboard' }).click()
    await expect(facts).toContainText('Pasted from the clipboard')
    await expect(facts).toContainText(first.fingerprintShort)

    await wizard.getByRole('button', { name: 'Clear Clipboard' }).click()
    await expect(wizard.getByText('Clipboard cleared.')).toBeVisible()
    expect(harness.clipboard.text).toBe('')

    harness.clipboard.text = second.pem
    await app.keyboard.press(`${COMMAND}+v`)
    await expect(facts).toContainText(second.fingerprintShort)
    expect(requestsOn(harness, 'keys:pasteClipboard')).toHaveLength(2)

    // The replaced key's draft is discarded in main: the page does not wait for that answer, so
    // the test awaits main's record of it.
    const firstDraft = harness.ipcLog.find((entry) => entry.channel === 'keys:pasteClipboard')
      ?.response as { value: { draft: { draftId: string } } }
    await expect
      .poll(() => requestsOn(harness, 'keys:discardDraft'))
      .toContainEqual({ draftId: firstDraft.value.draft.draftId })
  })

  test('a refused key shows the reason and the fix, and nothing goes on', async ({
    app,
    harness,
    keyFiles,
  }) => {
    const path = await keyFiles.rsaFile('AuthKey_RSA1234567.p8')
    const wizard = await openWizard(app)

    harness.dialogAnswers.push(path)
    await wizard.getByRole('button', { name: 'Choose File…' }).click()

    const alert = wizard.getByRole('alert')
    await expect(alert).toContainText('RSA private key')
    await expect(alert).toContainText('P-256')
    await expect(alert).toContainText('Users and Access → Integrations')
    await expect(wizard.getByRole('button', { name: 'Continue' })).toBeDisabled()
    await expect(wizard.getByRole('heading', { name: 'Add the key file' })).toBeInViewport({
      ratio: 1,
    })
    await expect(alert).toBeInViewport({ ratio: 1 })
    // Said once: the refusal under the drop zone, nowhere else.
    await expect(wizard.getByText(/RSA private key/)).toHaveCount(1)
    await screenshotStep(app, 'key-file-refused')

    harness.clipboard.text = 'not a key at all'
    await app.keyboard.press(`${COMMAND}+v`)
    await expect(alert).toContainText('not a private key')
  })

  test('the key-file step in dark mode', async ({ app, harness, keyFiles }) => {
    await app.emulateMedia({ colorScheme: 'dark' })
    const key = await keyFiles.p256File('AuthKey_DARK123456.p8')
    const wizard = await openWizard(app)
    await screenshotStep(app, 'key-file-dark')
    harness.dialogAnswers.push(key.path)
    await wizard.getByRole('button', { name: 'Choose File…' }).click()
    await expect(wizard.getByRole('region', { name: 'Imported key' })).toBeVisible()
    await screenshotStep(app, 'key-file-imported-dark')
  })
})

test.describe('IDs', () => {
  async function importKey(app: Page, harness: Harness, path: string) {
    const { wizard } = await importByDialog(app, harness, path)
    await wizard.getByRole('button', { name: 'Continue' }).click()
    await expect(wizard.getByRole('heading', { name: 'Enter the key’s IDs' })).toBeVisible()
    return wizard
  }

  test('validates as you type, and swaps swapped IDs in one click', async ({
    app,
    harness,
    keyFiles,
  }) => {
    const key = await keyFiles.p256File('AuthKey_ABCDE12345.p8')
    const wizard = await importKey(app, harness, key.path)
    const issuer = wizard.getByLabel('Issuer ID')
    const keyId = wizard.getByLabel('Key ID')
    await expect(issuer).toBeFocused()
    await expect(issuer).toHaveAttribute('aria-invalid', 'false')

    await issuer.fill('1234')
    await expect(issuer).toHaveAttribute('aria-invalid', 'true')
    await expect(issuer).toHaveAccessibleDescription(/The issuer ID is a UUID/)

    await issuer.fill('ABCDE12345')
    await keyId.fill(ISSUER)
    await expect(wizard.getByText('look swapped')).toBeVisible()
    await expect(issuer).toHaveAttribute('aria-invalid', 'true')
    await expect(keyId).toHaveAttribute('aria-invalid', 'true')
    await screenshotStep(app, 'ids-swapped')

    await wizard.getByRole('button', { name: 'Swap' }).click()
    await expect(issuer).toHaveValue(ISSUER)
    await expect(keyId).toHaveValue('ABCDE12345')
    await expect(wizard.getByText('look swapped')).toHaveCount(0)
    await expect(issuer).toHaveAttribute('aria-invalid', 'false')
    await expect(keyId).toHaveAttribute('aria-invalid', 'false')
    await screenshotStep(app, 'ids')
  })

  test('a key ID other than the file’s is a warning, not a block', async ({
    app,
    harness,
    keyFiles,
  }) => {
    const key = await keyFiles.p256File('AuthKey_ABCDE12345.p8')
    const wizard = await importKey(app, harness, key.path)
    const keyId = wizard.getByLabel('Key ID')
    await wizard.getByLabel('Issuer ID').fill(ISSUER)
    await keyId.fill('ZZZZZ11111')

    await expect(keyId).toHaveAccessibleDescription(/named for key ABCDE12345/)
    await expect(keyId).toHaveAttribute('aria-invalid', 'false')
    await screenshotStep(app, 'ids-mismatch')

    await wizard.getByRole('button', { name: 'Use ABCDE12345' }).click()
    await expect(keyId).toHaveValue('ABCDE12345')
    await expect(wizard.getByText('named for key')).toHaveCount(0)

    await keyId.fill('ZZZZZ11111')
    await wizard.getByRole('button', { name: 'Check Key' }).click()
    await expect.poll(() => requestsOn(harness, 'keys:check')).toHaveLength(1)
    expect(requestsOn(harness, 'keys:check')[0]).toMatchObject({ keyId: 'ZZZZZ11111' })
  })

  test('an individual key has no issuer ID field', async ({ app, harness, keyFiles }) => {
    const key = await keyFiles.p256File('AuthKey_ABCDE12345.p8')
    const wizard = await importKey(app, harness, key.path)
    await wizard.getByLabel('Issuer ID').fill(ISSUER)

    await wizard.getByRole('radio', { name: /Individual key/ }).check()
    await expect(wizard.getByLabel('Issuer ID')).toHaveCount(0)
    await expect(wizard.getByLabel('Role you picked (optional)')).toHaveCount(0)
    await expect(wizard.getByText('Individual keys belong to one person')).toBeVisible()
    await screenshotStep(app, 'ids-individual')

    await wizard.getByRole('button', { name: 'Check Key' }).click()
    await expect.poll(() => requestsOn(harness, 'keys:check')).toHaveLength(1)
    expect(requestsOn(harness, 'keys:check')[0]).toMatchObject({
      keyType: 'individual',
      issuerId: '',
      keyId: 'ABCDE12345',
      role: null,
    })
  })

  test('Continue with empty fields says what is missing and focuses the field', async ({
    app,
    harness,
    keyFiles,
  }) => {
    const key = await keyFiles.p256File('my-key.p8')
    const wizard = await importKey(app, harness, key.path)
    await wizard.getByLabel('Key ID').fill('ABCDE12345')
    await wizard.getByRole('button', { name: 'Check Key' }).click()

    // Said once, under the field, which takes focus: no banner repeating it.
    await expect(wizard.getByText(/Enter the issuer ID/)).toHaveCount(1)
    await expect(wizard.getByRole('alert')).toHaveCount(0)
    await expect(wizard.getByLabel('Issuer ID')).toBeFocused()
    await expect(wizard.getByLabel('Issuer ID')).toHaveAccessibleDescription(/Enter the issuer ID/)
    await expect(wizard.getByLabel('Issuer ID')).toHaveAttribute('aria-invalid', 'true')
    expect(requestsOn(harness, 'keys:check')).toHaveLength(0)
  })
})

test('keyboard only: from ⌘N to the new team’s apps list, focus never leaving the sheet', async ({
  app,
  harness,
  sandbox,
}) => {
  const { key, team, p8Path } = teamKeyWithFile(sandbox, 'DEVELOPER')
  const wizard = await openWizard(app)
  const focusedName = () =>
    app.evaluate(() => {
      const element = document.activeElement as HTMLElement | null
      return element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? ''
    })
  const focusInSheet = () =>
    app.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)

  // The window behind the sheet is inert: nothing there takes focus or clicks.
  await expect(app.locator('.sidebar')).toHaveJSProperty('inert', true)
  await expect(app.locator('main.content')).toHaveJSProperty('inert', true)

  // From the step's heading, Shift+Tab wraps to the sheet's last control, not to the sidebar.
  await app.keyboard.press('Shift+Tab')
  expect(await focusedName()).toBe('Cancel')
  await app.keyboard.press('Tab')
  expect(await focusedName()).toBe('Open in Browser')
  await app.keyboard.press('Shift+Tab')
  expect(await focusedName()).toBe('Cancel')

  // Tab order on the first step: the guide's link, its details, then the two import buttons.
  await app.keyboard.press('Tab')
  expect(await focusedName()).toBe('Open in Browser')
  await app.keyboard.press('Tab')
  expect(await focusedName()).toContain('Which role')
  await app.keyboard.press('Tab')
  expect(await focusedName()).toBe('Choose File…')

  harness.dialogAnswers.push(p8Path)
  await app.keyboard.press('Enter')
  await expect(wizard.getByRole('button', { name: 'Continue' })).toBeFocused()
  await app.keyboard.press('Enter')

  const issuer = wizard.getByLabel('Issuer ID')
  await expect(issuer).toBeFocused()
  await app.keyboard.type(team.issuerId.toUpperCase())
  await app.keyboard.press('Tab')
  await expect(wizard.getByLabel('Key ID')).toBeFocused()
  await expect(wizard.getByLabel('Key ID')).toHaveValue(key.keyId)
  await app.keyboard.press('Tab')
  await expect(wizard.getByLabel('Role you picked (optional)')).toBeFocused()
  await app.keyboard.press('Shift+Tab')
  await app.keyboard.press('Enter')

  await expect(wizard.getByRole('heading', { name: 'Check with Apple' })).toBeVisible()
  await expect.poll(() => requestsOn(harness, 'keys:check')).toHaveLength(1)
  expect(requestsOn(harness, 'keys:check')[0]).toMatchObject({
    keyType: 'team',
    issuerId: team.issuerId,
    keyId: key.keyId,
    role: null,
  })
  // Once the key passed, focus is on Continue: Return goes on.
  await expect(wizard.getByRole('button', { name: 'Continue' })).toBeFocused()
  expect(await focusInSheet()).toBe(true)
  await app.keyboard.press('Enter')

  const name = wizard.getByRole('textbox', { name: 'Name', exact: true })
  await expect(name).toBeFocused()
  await app.keyboard.press(`${COMMAND}+a`)
  await app.keyboard.type('Keyboard Team')
  await app.keyboard.press('Enter')

  await expect(wizard).toHaveCount(0)
  await expect(
    app.getByRole('navigation', { name: 'Teams' }).getByRole('button', { name: /Keyboard Team/ }),
  ).toHaveAttribute('aria-current', 'page')
  // Focus lands on the new team's apps list, not on <body>, and the window is live again.
  const apps = app.getByRole('listbox', { name: 'Apps' })
  await expect(apps).toBeFocused()
  await expect(app.locator('.sidebar')).toHaveJSProperty('inert', false)
  expect(await app.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('listbox')
  await app.keyboard.press('ArrowDown')
  await expect(apps.getByRole('option', { selected: true })).toHaveCount(1)
})

test('Esc closes the wizard and discards the draft in main', async ({ app, harness, keyFiles }) => {
  const key = await keyFiles.p256File('AuthKey_ESCAPE1234.p8')
  const { wizard, draftId } = await importByDialog(app, harness, key.path)

  await app.keyboard.press('Escape')
  await expect(wizard).toHaveCount(0)
  await expect.poll(() => requestsOn(harness, 'keys:discardDraft')).toEqual([{ draftId }])
  await expect(app.getByRole('button', { name: 'Add Key…' }).first()).toBeVisible()
})

test.describe('check and save', () => {
  test('a draft discarded by Esc is gone: a later keys:check with it fails', async ({
    app,
    harness,
    keyFiles,
  }) => {
    const key = await keyFiles.p256File('AuthKey_ESCAPE1234.p8')
    const { wizard, draftId } = await importByDialog(app, harness, key.path)
    await app.keyboard.press('Escape')
    await expect(wizard).toHaveCount(0)

    const late = await app.evaluate(
      (id) =>
        window.ascent.keys.check({
          checkId: crypto.randomUUID(),
          draftId: id,
          keyType: 'team',
          issuerId: '57246542-96fe-1a63-e053-0824d011072a',
          keyId: 'ESCAPE1234',
          role: null,
        }),
      draftId,
    )
    expect(late).toMatchObject({ ok: false, error: { code: 'keys.draft_expired' } })
  })

  test('a sandbox key passes the live check, is named and saved, and becomes the active team', async ({
    app,
    harness,
    sandbox,
  }) => {
    const { key, team, p8Path } = teamKeyWithFile(sandbox, 'DEVELOPER')
    const wizard = await openWizard(app)
    harness.dialogAnswers.push(p8Path)
    await wizard.getByRole('button', { name: 'Choose File…' }).click()
    await expect(wizard.getByRole('region', { name: 'Imported key' })).toContainText(
      fingerprintOfPem(key.privateKeyPem),
    )
    await wizard.getByRole('button', { name: 'Continue' }).click()
    await wizard.getByLabel('Issuer ID').fill(team.issuerId)
    await wizard.getByLabel('Role you picked (optional)').selectOption('APP_MANAGER')
    await wizard.getByRole('button', { name: 'Check Key' }).click()

    const checklist = wizard.getByRole('list', { name: 'Check progress' })
    for (const label of [
      'Key parses (P-256)',
      'Token signed',
      'Apple accepted the token',
      'Can list apps',
      'Can read TestFlight',
    ]) {
      await expect(checklist.getByRole('listitem').filter({ hasText: label })).toContainText(
        'Passed',
      )
    }
    await expect(wizard.getByRole('button', { name: 'Continue' })).toBeEnabled()
    await expect(app.locator('[aria-live="polite"]')).toHaveText(/passed/i)
    // A Developer key said to be App Manager: no read tells the two apart, and the wizard says so.
    await expect(wizard.getByRole('heading', { name: 'The key works' })).toBeVisible()
    await expect(
      wizard.getByText('Role: App Manager (as you said; Apple can’t confirm it)'),
    ).toBeVisible()
    await screenshotStep(app, 'check')

    const [check] = requestsOn(harness, 'keys:check') as { checkId: string }[]
    await wizard.getByRole('button', { name: 'Continue' }).click()
    const name = wizard.getByRole('textbox', { name: 'Name', exact: true })
    await expect(name).toBeFocused()
    // Suggested from what the check saw (the apps' bundle IDs, com.northwind.*), not from IDs.
    await expect(name).toHaveValue('Northwind')
    await screenshotStep(app, 'name')

    await name.fill('Northwind CI')
    await app.keyboard.press('Enter')
    await expect(wizard).toHaveCount(0)
    expect(requestsOn(harness, 'keys:save')).toEqual([
      { checkId: check?.checkId, name: 'Northwind CI' },
    ])
    const saved = app.getByRole('navigation', { name: 'Teams' }).getByRole('button', {
      name: /Northwind CI/,
    })
    await expect(saved).toHaveAttribute('aria-current', 'page')
    expect(requestsOn(harness, 'keys:discardDraft')).toEqual([])
  })

  test('a rejected key shows the diagnosis; Back to IDs leads, Try Again runs a fresh check', async ({
    app,
    harness,
    sandbox,
  }) => {
    const key = sandbox.findKey({ type: 'team', role: 'DEVELOPER', revoked: false })
    if (!key.p8Path) throw new Error('the sandbox wrote no key file')
    const wizard = await openWizard(app)
    harness.dialogAnswers.push(key.p8Path)
    await wizard.getByRole('button', { name: 'Choose File…' }).click()
    await wizard.getByRole('button', { name: 'Continue' }).click()
    // A well-formed issuer ID of no team: Apple answers 401.
    await wizard.getByLabel('Issuer ID').fill(ISSUER)
    await wizard.getByRole('button', { name: 'Check Key' }).click()

    const alert = wizard.getByRole('alert')
    await expect(alert).toBeVisible()
    await expect(alert.getByRole('heading')).not.toBeEmpty()
    await expect(alert.getByRole('listitem').first()).toBeVisible()
    const checklist = wizard.getByRole('list', { name: 'Check progress' })
    await expect(checklist.getByText('Failed', { exact: true })).toHaveCount(1)
    await expect(checklist.getByRole('listitem').nth(2)).toContainText('Apple accepted the token')
    await expect(checklist.getByRole('listitem').nth(2)).toContainText('Failed')
    // One message per error: the diagnosis says why; the failed and skipped rows do not repeat it.
    await expect(wizard.getByText(/answered 401 Not Authorized/)).toHaveCount(1)
    await expect(checklist.getByText('Not checked: an earlier step failed.')).toHaveCount(0)
    // The checklist opens at its top, its first row in view.
    const content = wizard.locator('.wizard-content')
    expect(await content.evaluate((element) => element.scrollTop)).toBe(0)
    await expect(checklist.getByRole('listitem').first()).toBeInViewport({ ratio: 1 })
    await expect(wizard.getByRole('button', { name: 'Continue' })).toHaveCount(0)
    // Apple refused a key just read from its file: the IDs beside it are the likely fault.
    await expect(wizard.getByRole('button', { name: 'Back to IDs' })).toBeFocused()
    await expect(wizard.getByRole('button', { name: 'Back', exact: true })).toHaveCount(0)
    // The heading stays in view above the diagnosis, and the callout sits clear of the footer.
    await expect(wizard.getByRole('heading', { name: 'Check with Apple' })).toBeInViewport({
      ratio: 1,
    })
    await expect(alert.getByRole('heading')).toBeInViewport({ ratio: 1 })
    await screenshotStep(app, 'check-failed')

    await wizard.getByRole('button', { name: 'Open App Store Connect' }).click()
    await expect
      .poll(() => harness.openedUrls)
      .toEqual(['https://appstoreconnect.apple.com/access/integrations/api'])

    await wizard.getByRole('button', { name: 'Try Again' }).click()
    await expect.poll(() => requestsOn(harness, 'keys:check')).toHaveLength(2)
    const [first, second] = requestsOn(harness, 'keys:check') as { checkId: string }[]
    expect(first?.checkId).not.toBe(second?.checkId)
    await expect(alert).toBeVisible()
    await expect(wizard.getByRole('button', { name: 'Back to IDs' })).toBeFocused()
    await app.keyboard.press('Enter')
    await expect(wizard.getByLabel('Issuer ID')).toHaveValue(ISSUER)
  })

  test('Stop Check stops a running check', async ({ app, harness, sandbox }) => {
    const { key, team, p8Path } = teamKeyWithFile(sandbox, 'APP_MANAGER')
    sandbox.admin.addFaults({ kind: 'hang', match: { keyId: key.keyId } })
    try {
      const wizard = await openWizard(app)
      harness.dialogAnswers.push(p8Path)
      await wizard.getByRole('button', { name: 'Choose File…' }).click()
      await wizard.getByRole('button', { name: 'Continue' }).click()
      await wizard.getByLabel('Issuer ID').fill(team.issuerId)
      await wizard.getByRole('button', { name: 'Check Key' }).click()
      await screenshotStep(app, 'check-running')

      // Stop Check, not a second "Cancel" next to the wizard's own.
      await expect(wizard.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(1)
      await wizard.getByRole('button', { name: 'Stop Check' }).click()
      await expect(wizard.getByText('The check was stopped')).toBeVisible()
      const [check] = requestsOn(harness, 'keys:check') as { checkId: string }[]
      await expect
        .poll(() => requestsOn(harness, 'keys:cancelCheck'))
        .toEqual([{ checkId: check?.checkId }])
      await expect(wizard.getByRole('button', { name: 'Try Again' })).toBeFocused()
    } finally {
      sandbox.admin.clearFaults()
    }
  })
})

test.describe('one message per error', () => {
  /** Imports `p8Path` by the dialog and checks it with these IDs. */
  async function checkWithIds(
    app: Page,
    harness: Harness,
    p8Path: string,
    ids: { issuerId: string; keyId: string },
  ) {
    const wizard = await openWizard(app)
    harness.dialogAnswers.push(p8Path)
    await wizard.getByRole('button', { name: 'Choose File…' }).click()
    await wizard.getByRole('button', { name: 'Continue' }).click()
    await wizard.getByLabel('Issuer ID').fill(ids.issuerId)
    await wizard.getByLabel('Key ID').fill(ids.keyId)
    await wizard.getByRole('button', { name: 'Check Key' }).click()
    return wizard
  }

  test('IDs typed the wrong way round: said once, under the fields, and nothing is sent', async ({
    app,
    harness,
    sandbox,
  }) => {
    const { key, team, p8Path } = teamKeyWithFile(sandbox, 'APP_MANAGER')
    const wizard = await checkWithIds(app, harness, p8Path, {
      issuerId: key.keyId,
      keyId: team.issuerId,
    })
    await expect(wizard.getByLabel('Issuer ID')).toBeFocused()
    await expect(wizard.getByText(/look swapped/)).toHaveCount(1)
    await expect(wizard.getByRole('alert')).toHaveCount(0)
    expect(requestsOn(harness, 'keys:check')).toHaveLength(0)
  })

  test('a 401 for the key ID of another key: the diagnosis says it, once', async ({
    app,
    harness,
    sandbox,
  }) => {
    const { key, team, p8Path } = teamKeyWithFile(sandbox, 'APP_MANAGER')
    const other = sandbox.findKey({ team: 'northwind', role: 'ADMIN' })
    expect(other.keyId).not.toBe(key.keyId)
    const wizard = await checkWithIds(app, harness, p8Path, {
      issuerId: team.issuerId,
      keyId: other.keyId,
    })
    const alert = wizard.getByRole('alert')
    await expect(alert).toContainText('does not match the key file')
    const mismatch = `The key file is named for key ${key.keyId}, but the key ID entered is ${other.keyId}.`
    await expect(wizard.getByText(mismatch)).toHaveCount(1)
    await expect(wizard.getByText(/answered 401 Not Authorized/)).toHaveCount(1)
    await expect(wizard.getByRole('list', { name: 'Warnings' })).toHaveCount(0)
    await expect(wizard.getByRole('button', { name: 'Back to IDs' })).toBeFocused()
  })

  test('a revoked key: the diagnosis says it, once; the checklist opens at its top, again after Try Again', async ({
    app,
    harness,
    sandbox,
  }) => {
    // The smallest window, where the checklist and the diagnosis do not fit together.
    await app.setViewportSize({ width: 900, height: 600 })
    const revoked = sandbox.findKey({ team: 'fabrikam', revoked: true })
    const team = sandbox.teams.find((candidate) => candidate.name === revoked.teamName)
    if (!revoked.p8Path || !team) throw new Error('the sandbox wrote no key file')
    const wizard = await checkWithIds(app, harness, revoked.p8Path, {
      issuerId: team.issuerId,
      keyId: revoked.keyId,
    })
    const alert = wizard.getByRole('alert')
    await expect(alert).toContainText('Apple refused this key')
    await expect(wizard.getByText(/A revoked key stops working/)).toHaveCount(1)
    await expect(wizard.getByText(/answered 401 Not Authorized/)).toHaveCount(1)
    const checklist = wizard.getByRole('list', { name: 'Check progress' })
    await expect(checklist.getByText('Failed', { exact: true })).toHaveCount(1)
    // Nor does the failed row say it again to VoiceOver (or on hover): it reads as its step.
    const failedRow = checklist.getByRole('listitem').nth(2)
    await expect(failedRow).toHaveText(/Apple accepted the token\s*Failed/)
    await expect(failedRow).not.toHaveAttribute('title')
    await expect(failedRow).not.toHaveAccessibleName(/401/)

    const content = wizard.locator('.wizard-content')
    const scroll = () =>
      content.evaluate((element) => ({
        top: element.scrollTop,
        overflow: element.scrollHeight - element.clientHeight,
      }))
    expect((await scroll()).overflow).toBeGreaterThan(0)
    expect((await scroll()).top).toBe(0)
    await expect(checklist.getByRole('listitem').first()).toBeInViewport({ ratio: 1 })
    await screenshotStep(app, 'check-revoked-900x600')
    // The rest of the explanation is further down, reachable by scrolling (read out as an alert).
    const lastHint = alert.getByRole('listitem').last()
    await lastHint.scrollIntoViewIfNeeded()
    await expect(lastHint).toBeInViewport({ ratio: 1 })
    expect((await scroll()).top).toBeGreaterThan(0)

    await wizard.getByRole('button', { name: 'Try Again' }).click()
    await expect.poll(() => requestsOn(harness, 'keys:check')).toHaveLength(2)
    await expect(alert).toContainText('Apple refused this key')
    await expect(wizard.getByRole('button', { name: 'Back to IDs' })).toBeFocused()
    expect((await scroll()).top).toBe(0)
    await expect(checklist.getByRole('listitem').first()).toBeInViewport({ ratio: 1 })
  })
})

test.describe('the sheet’s size', () => {
  for (const { colorScheme, ...size } of [
    { width: 900, height: 600, colorScheme: 'dark' as const },
    { width: 1440, height: 900, colorScheme: 'light' as const },
  ]) {
    test(`fits its step at ${size.width}×${size.height} (${colorScheme}): no empty space, the buttons in view`, async ({
      app,
      harness,
      sandbox,
    }) => {
      await app.setViewportSize(size)
      await app.emulateMedia({ colorScheme })
      const wizard = await openWizard(app)
      /** Space left between the step's last element and the footer (negative: it scrolls). */
      const emptySpace = () =>
        wizard.locator('.wizard-content').evaluate((content) => {
          const last = content.lastElementChild
          if (!last) return Infinity
          const padding = parseFloat(getComputedStyle(content).paddingBottom)
          const bottom =
            last.getBoundingClientRect().bottom + parseFloat(getComputedStyle(last).marginBottom)
          return content.getBoundingClientRect().bottom - padding - bottom
        })
      /** The footer's buttons in the window, and nothing but the sheet's edge below them. */
      const footerInView = async (primary: string) => {
        await expect(wizard.getByRole('button', { name: 'Cancel' })).toBeInViewport({ ratio: 1 })
        await expect(wizard.getByRole('button', { name: primary })).toBeInViewport({ ratio: 1 })
        const below = await app.locator('.wizard-sheet').evaluate((sheet) => {
          const footer = sheet.querySelector('.wizard-footer')
          return footer
            ? sheet.getBoundingClientRect().bottom - footer.getBoundingClientRect().bottom
            : Infinity
        })
        expect(below).toBeLessThan(4)
      }
      expect(await emptySpace()).toBeLessThan(8)
      await footerInView('Continue')
      await screenshotStep(app, `key-file-${size.width}x${size.height}-${colorScheme}`)

      // The name step, short: the sheet shrinks to it.
      const { key, team, p8Path } = teamKeyWithFile(sandbox, 'APP_MANAGER')
      harness.dialogAnswers.push(p8Path)
      await wizard.getByRole('button', { name: 'Choose File…' }).click()
      await wizard.getByRole('button', { name: 'Continue' }).click()
      await wizard.getByLabel('Issuer ID').fill(team.issuerId)
      await wizard.getByLabel('Key ID').fill(key.keyId)
      await wizard.getByRole('button', { name: 'Check Key' }).click()
      await wizard.getByRole('button', { name: 'Continue' }).click()
      await expect(wizard.getByRole('heading', { name: 'Name the team' })).toBeVisible()
      expect(await emptySpace()).toBeLessThan(8)
      await footerInView('Save to Keychain')
      const sheet = app.locator('.wizard-sheet')
      const box = await sheet.boundingBox()
      expect(box?.height).toBeLessThan(size.height)
      await screenshotStep(app, `name-${size.width}x${size.height}-${colorScheme}`)
    })
  }
})
