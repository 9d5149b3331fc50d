/**
 * The private key never crosses into the renderer: every IPC answer of every intake path is
 * searched for any piece of the key, in every encoding it could take.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './fixtures'

function secretFragments(pem: string): string[] {
  const body = pem.replace(/-----[A-Z ]+-----|\s/g, '')
  const jwk = createPrivateKey(pem).export({ format: 'jwk' })
  const d = String(jwk.d)
  const dHex = Buffer.from(d, 'base64url').toString('hex')
  const fragments = [d, dHex, Buffer.from(pem).toString('base64')]
  for (let start = 0; start + 24 <= body.length; start += 12)
    fragments.push(body.slice(start, start + 24))
  return fragments
}

test('no intake path sends any piece of the private key to the renderer', async ({
  app,
  harness,
}) => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const folder = mkdtempSync(join(tmpdir(), 'ascent-secret-'))
  const path = join(folder, 'AuthKey_ABCDE12345.p8')
  writeFileSync(path, pem, { mode: 0o600 })
  try {
    harness.dialogAnswers.push(path)
    const chosen = await app.evaluate(() => window.ascent.keys.chooseFile())
    expect(chosen).toMatchObject({ ok: true, value: { status: 'imported' } })

    await app.evaluate(([name, filePath]) => window.__ascentHarness.dropPaths.set(name, filePath), [
      'AuthKey_ABCDE12345.p8',
      path,
    ] as const)
    const dropped = await app.evaluate(() =>
      window.ascent.keys.importDropped(new File([''], 'AuthKey_ABCDE12345.p8')),
    )
    expect(dropped).toMatchObject({ ok: true, value: { status: 'imported' } })

    harness.clipboard.text = `"${pem.trim().replace(/\n/g, '\\n')}"`
    const pasted = await app.evaluate(() => window.ascent.keys.pasteClipboard())
    expect(pasted).toMatchObject({ ok: true, value: { status: 'imported' } })

    const answers = JSON.stringify(harness.ipcLog.map((exchange) => exchange.response))
    expect(harness.ipcLog.length).toBeGreaterThanOrEqual(3)
    for (const fragment of secretFragments(pem)) expect(answers).not.toContain(fragment)
    expect(answers).not.toContain('PRIVATE KEY')
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})
