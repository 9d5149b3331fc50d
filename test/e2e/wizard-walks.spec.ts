/**
 * The wizard walked end to end against the Apple sandbox with the real Secret Service: a team key
 * and an individual key, brought in from a file, a drop and the clipboard, each ending on the apps
 * list of the new team.
 */
import { basename } from 'node:path'
import type { Page } from '@playwright/test'
import type { Sandbox, SandboxKey } from '../sandbox'
import { appOptions, toolbarTitle } from './browse-fixtures'
import { COMMAND, dropFile, expect, openWizard, test } from './wizard-fixtures'

type Intake = 'file' | 'drop' | 'clipboard'

interface Walk {
  intake: Intake
  keyType: 'team' | 'individual'
  pick: (sandbox: Sandbox) => SandboxKey
}

const individual = (sandbox: Sandbox) => sandbox.findKey({ type: 'individual' })

const walks: Walk[] = [
  {
    intake: 'file',
    keyType: 'team',
    pick: (sandbox) => sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER', type: 'team' }),
  },
  { intake: 'drop', keyType: 'individual', pick: individual },
  {
    intake: 'clipboard',
    keyType: 'team',
    pick: (sandbox) => sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER', revoked: false }),
  },
  { intake: 'file', keyType: 'individual', pick: individual },
  {
    intake: 'drop',
    keyType: 'team',
    pick: (sandbox) => sandbox.findKey({ team: 'northwind', role: 'DEVELOPER', type: 'team' }),
  },
  { intake: 'clipboard', keyType: 'individual', pick: individual },
]

async function bringIn(
  page: Page,
  harness: { dialogAnswers: (string | null)[]; clipboard: { text: string } },
  intake: Intake,
  key: SandboxKey,
) {
  if (!key.p8Path) throw new Error('the sandbox wrote no key file')
  const wizard = page.getByRole('dialog', { name: 'Add API Key' })
  if (intake === 'file') {
    harness.dialogAnswers.push(key.p8Path)
    await wizard.getByRole('button', { name: 'Choose File…' }).click()
  } else if (intake === 'drop') {
    await dropFile(page, '.wizard', basename(key.p8Path), key.p8Path)
  } else {
    harness.clipboard.text = key.privateKeyPem
    await page.keyboard.press(`${COMMAND}+v`)
  }
  await expect(wizard.getByRole('region', { name: 'Imported key' })).toBeVisible()
}

for (const walk of walks) {
  test(`${walk.keyType} key from ${walk.intake}: checked, saved, on its apps list`, async ({
    app,
    harness,
    sandbox,
  }) => {
    const key = walk.pick(sandbox)
    expect(key.type).toBe(walk.keyType)
    const team = sandbox.teams.find((candidate) => candidate.name === key.teamName)
    const expectedApps =
      key.type === 'individual'
        ? sandbox.fixtures.individualAppIds.length
        : (team?.appIds.length ?? 0)
    const wizard = await openWizard(app)
    await bringIn(app, harness, walk.intake, key)
    await wizard.getByRole('button', { name: 'Continue' }).click()

    if (key.type === 'individual') {
      await wizard.getByRole('radio', { name: /Individual key/ }).check()
    } else {
      await wizard.getByLabel('Issuer ID').fill(key.issuerId ?? '')
    }
    // The clipboard brings no file name: the key ID is typed.
    if (walk.intake === 'clipboard') await wizard.getByLabel('Key ID').fill(key.keyId.toLowerCase())
    await wizard.getByRole('button', { name: 'Check Key' }).click()
    await expect(wizard.getByRole('button', { name: 'Continue' })).toBeEnabled()
    await wizard.getByRole('button', { name: 'Continue' }).click()
    const name = `Walk ${walk.intake} ${key.keyId}`
    await wizard.getByRole('textbox', { name: 'Name', exact: true }).fill(name)
    await app.keyboard.press('Enter')

    await expect(wizard).toHaveCount(0)
    await expect(toolbarTitle(app)).toHaveText(name)
    await expect(appOptions(app)).toHaveCount(expectedApps)
    expect(expectedApps).toBeGreaterThan(0)
    const stored = await harness.secrets.accounts()
    expect(stored).toEqual([
      key.type === 'individual' ? `individual/${key.keyId}` : `${key.issuerId}/${key.keyId}`,
    ])
  })
}
