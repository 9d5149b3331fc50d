/**
 * The harness cleans up after itself: on a Mac its keychain service is in the user's login
 * Keychain, so closing it must leave no item behind. Runs on the real keyring (run-with-keyring.js
 * gives Linux a private one). And it serves the page under the app's own policy.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../src/main/app-protocol'
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

describe('the page the harness serves', () => {
  it('carries the app’s policy, header and meta, plus only the app icon as an image', async () => {
    const page = await readFile('src/renderer/index.html', 'utf8')
    const dir = await mkdtemp(join(tmpdir(), 'ascent-harness-page-'))
    await writeFile(join(dir, 'index.html'), page)
    const harness = await startHarness({ apiBase: 'http://127.0.0.1:9', rendererDir: dir })
    try {
      const icon = `${harness.origin}/__harness/icon.png`
      const expected = CONTENT_SECURITY_POLICY.replace(
        'img-src https://*.mzstatic.com',
        `img-src https://*.mzstatic.com ${icon}`,
      )
      expect(expected).not.toBe(CONTENT_SECURITY_POLICY)
      const cookie = `ascent_harness=${harness.token}`
      const response = await fetch(`${harness.origin}/`, { headers: { cookie } })
      expect(response.headers.get('content-security-policy')).toBe(expected)
      const html = await response.text()
      expect(html).toContain(
        META_CONTENT_SECURITY_POLICY.replace(
          'img-src https://*.mzstatic.com',
          `img-src https://*.mzstatic.com ${icon}`,
        ),
      )
      expect(html).toContain('<link rel="icon" href="/__harness/icon.png" />')
      const png = await fetch(icon)
      expect(png.headers.get('content-type')).toBe('image/png')
      expect(
        Buffer.from(await png.arrayBuffer())
          .subarray(1, 4)
          .toString('latin1'),
      ).toBe('PNG')
    } finally {
      await harness.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
