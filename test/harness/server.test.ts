/**
 * The harness cleans up after itself: on a Mac its keychain service is in the user's login
 * Keychain, so closing it must leave no item behind. Runs on the real keyring (run-with-keyring.js
 * gives Linux a private one).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeyringSecretStore } from '../../src/main/secrets'
import { createMemorySecretStore } from '../main/fakes'
import { startHarness } from './server'

let rendererDir: string

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'ascent-harness-renderer-'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><head></head><body></body>')
})

afterAll(() => rm(rendererDir, { recursive: true, force: true }))

describe('closing the harness', () => {
  it('deletes every item it filed under its own keychain service', async () => {
    const harness = await startHarness({ apiBase: 'http://127.0.0.1:9', rendererDir })
    const service = harness.keychainService
    expect(service).toMatch(/^Ascent-harness-[0-9a-f]{8}$/)
    await harness.secrets.set('issuer-a/KEY1', 'first secret')
    await harness.secrets.set('issuer-b/KEY2', 'second secret')
    const sameService = createKeyringSecretStore({ service: String(service) })
    expect(await sameService.accounts()).toEqual(['issuer-a/KEY1', 'issuer-b/KEY2'])

    await harness.close()

    expect(await sameService.accounts()).toEqual([])
  })

  it('leaves a store it was given to its owner', async () => {
    const secrets = createMemorySecretStore()
    await secrets.set('issuer/KEY', 'kept')
    const harness = await startHarness({ apiBase: 'http://127.0.0.1:9', rendererDir, secrets })
    expect(harness.keychainService).toBeNull()
    await harness.close()
    expect([...secrets.items.keys()]).toEqual(['issuer/KEY'])
  })
})
