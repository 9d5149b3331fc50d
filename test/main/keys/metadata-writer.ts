/**
 * A child process for test/main/keys/lock.test.ts: one of two writers of the same keys.json at
 * once. It saves `count` fresh keys (key IDs `<prefix>0000`, `<prefix>0001`, ...) through the keys
 * module on the real keyring of the session it runs in, renaming each right after, then prints
 * one JSON line: the key IDs it saved, or the error.
 *
 * Usage: node --import tsx test/main/keys/metadata-writer.ts <service> <dataDir> <prefix> <count>
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createKeyringSecretStore } from '../../../src/main/secrets'
import { createHeadlessKeys } from '../fakes'
import { ISSUER_ID } from './inputs'

const [service = 'Ascent-test', dataDir = '.', prefix = 'AAAAAA', count = '5'] =
  process.argv.slice(2)
const keys = createHeadlessKeys(dataDir, createKeyringSecretStore({ service }))
const scratch = await mkdtemp(join(tmpdir(), 'ascent-writer-'))
const saved: string[] = []
try {
  for (let n = 0; n < Number(count); n += 1) {
    const keyId = `${prefix}${String(n).padStart(4, '0')}`
    const path = join(scratch, `AuthKey_${keyId}.p8`)
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }))
    const outcome = await keys.importFromPath(path, 'file')
    if (outcome.status !== 'imported') throw new Error(`import refused: ${outcome.status}`)
    await keys.save({
      draftId: outcome.draft.draftId,
      keyType: 'team',
      issuerId: ISSUER_ID,
      keyId,
      name: `Writer ${prefix} ${n}`,
      role: null,
    })
    await keys.rename(keyId, `Writer ${prefix} ${n} (renamed)`)
    saved.push(keyId)
  }
  process.stdout.write(`${JSON.stringify({ ok: true, saved })}\n`)
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, saved, error: String(error) })}\n`)
} finally {
  await keys.dispose()
  await rm(scratch, { recursive: true, force: true })
}
