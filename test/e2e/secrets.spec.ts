/**
 * The private key never crosses into the renderer and never lands on disk outside the keychain:
 * every IPC answer of every intake path, of the live check and of the save, every event main
 * pushed to the page (the check's progress among them) are searched for any piece of the key in
 * every encoding it could take, and so is every file in the data folder.
 */
import { readFileSync } from 'node:fs'
import { filesUnder, secretFragments } from './secret-fragments'
import { expect, test } from './wizard-fixtures'

test('no piece of the private key reaches the renderer or the data folder', async ({
  app,
  harness,
  sandbox,
}) => {
  const key = sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER', type: 'team' })
  if (!key.p8Path || !key.issuerId) throw new Error('the sandbox wrote no key file')
  const pem = key.privateKeyPem
  const fileName = `AuthKey_${key.keyId}.p8`

  harness.dialogAnswers.push(key.p8Path)
  const chosen = await app.evaluate(() => window.ascent.keys.chooseFile())
  expect(chosen).toMatchObject({ ok: true, value: { status: 'imported' } })

  await app.evaluate(([name, path]) => window.__ascentHarness.dropPaths.set(name, path), [
    fileName,
    key.p8Path,
  ] as const)
  const dropped = await app.evaluate(
    (name) => window.ascent.keys.importDropped(new File([''], name)),
    fileName,
  )
  expect(dropped).toMatchObject({ ok: true, value: { status: 'imported' } })

  harness.clipboard.text = `"${pem.trim().replace(/\n/g, '\\n')}"`
  const pasted = await app.evaluate(() => window.ascent.keys.pasteClipboard())
  expect(pasted).toMatchObject({ ok: true, value: { status: 'imported' } })
  if (!pasted.ok || pasted.value.status !== 'imported') throw new Error('not imported')

  const ids = { draftId: pasted.value.draft.draftId, issuerId: key.issuerId, keyId: key.keyId }
  const checked = await app.evaluate(
    (request) =>
      window.ascent.keys.check({ checkId: 'secret-test', keyType: 'team', role: null, ...request }),
    ids,
  )
  expect(checked).toMatchObject({ ok: true, value: { canSave: true } })
  const saved = await app.evaluate(() =>
    window.ascent.keys.save({ checkId: 'secret-test', name: 'Northwind' }),
  )
  expect(saved).toMatchObject({ ok: true, value: { keyId: key.keyId } })
  const listed = await app.evaluate(() => window.ascent.teams.list())
  expect(listed).toMatchObject({ ok: true })

  const answers = JSON.stringify(harness.ipcLog.map((exchange) => exchange.response))
  const pushed = JSON.stringify(harness.eventLog)
  // The check reported its progress: the events searched below are not an empty list.
  expect(harness.eventLog.map(({ event }) => event)).toContain('keys:checkProgress')
  const onDisk = filesUnder(harness.dataDir).map((path) => readFileSync(path, 'latin1'))
  expect(onDisk.join('\n')).toContain(key.keyId)
  for (const fragment of secretFragments(pem)) {
    expect(answers).not.toContain(fragment)
    expect(pushed).not.toContain(fragment)
    for (const file of onDisk) expect(file).not.toContain(fragment)
  }
  expect(answers).not.toContain('PRIVATE KEY')
  expect(pushed).not.toContain('PRIVATE KEY')
  expect(await harness.secrets.get(`${key.issuerId}/${key.keyId}`)).toContain('PRIVATE KEY')
})
