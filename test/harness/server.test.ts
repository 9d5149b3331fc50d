/**
 * The harness cleans up after itself: on a Mac its keychain service is in the user's login
 * Keychain, so closing it must leave no item behind. Runs on the real keyring (run-with-keyring.js
 * gives Linux a private one). And it serves the page under the app's own policy.
 */
import { generateKeyPairSync } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../src/main/app-protocol'
import { createKeyringSecretStore } from '../../src/main/secrets'
import { createMemorySecretStore } from '../main/fakes'
import type { DesktopConfig } from './desktop-protocol'
import { startHarness, type Harness } from './server'

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

  it('leaves its items to a keyring that goes away with the process (the demo’s on Linux)', async () => {
    const harness = await startHarness({
      apiBase: 'http://127.0.0.1:9',
      rendererDir,
      keyringDiscarded: true,
    })
    const sameService = createKeyringSecretStore({ service: String(harness.keychainService) })
    await harness.secrets.set('issuer/KEY', 'left to the keyring')
    await harness.close()
    expect(await sameService.accounts()).toEqual(['issuer/KEY'])
    await sameService.delete('issuer/KEY')
  })
})

describe('starting the harness', () => {
  it('on a port already taken: rejects, and leaves no data folder behind', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as { port: number }
    // A temp folder of the test's own, so other runs' harness folders do not count.
    const ownTmp = await mkdtemp(join(tmpdir(), 'ascent-harness-tmp-test-'))
    const savedTmp = process.env.TMPDIR
    process.env.TMPDIR = ownTmp
    try {
      await expect(
        startHarness({ apiBase: 'http://127.0.0.1:9', rendererDir, port }),
      ).rejects.toThrow('EADDRINUSE')
      expect(await readdir(ownTmp)).toEqual([])
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = savedTmp
      taken.close()
      await rm(ownTmp, { recursive: true, force: true })
    }
  })
})

/** A request to the harness as its page makes them: with the run's cookie, from its origin. */
function fromPage(harness: Harness, path: string, body?: unknown): Promise<Response> {
  return fetch(`${harness.origin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Cookie: `ascent_harness=${harness.token}`,
      Origin: harness.origin,
      'X-Ascent-Frame': 'top',
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

describe('the demo’s desktop over HTTP', () => {
  it('tests get a page with no desktop: their doubles stay in charge', async () => {
    const harness = await startHarness({ apiBase: 'http://127.0.0.1:9', rendererDir })
    try {
      const config = (await (await fromPage(harness, '/__harness/desktop')).json()) as DesktopConfig
      expect(config).toEqual({ enabled: false, keyFolders: [], files: [], clipboardChannels: [] })
      harness.clipboard.text = 'set by the test'
      const answer = await fromPage(harness, '/__ipc', {
        channel: 'keys:pasteClipboard',
        clipboard: { text: 'sent by a page' },
      })
      // The test's clipboard, not the page's, is what main read: neither holds a key.
      expect(await answer.json()).toMatchObject({
        ok: true,
        value: { status: 'refused', refusal: { code: 'intake.not_a_key' } },
      })
      expect(harness.clipboard.text).toBe('set by the test')
    } finally {
      await harness.close()
    }
  })

  it('the demo’s page lists the key folder, and its clipboard is what main pastes', async () => {
    const keyFolder = await mkdtemp(join(tmpdir(), 'ascent-harness-keys-'))
    await writeFile(join(keyFolder, 'AuthKey_ABCDE12345.p8'), 'not read here')
    const harness = await startHarness({
      apiBase: 'http://127.0.0.1:9',
      rendererDir,
      secrets: createMemorySecretStore(),
      desktop: { keyFolders: [keyFolder] },
    })
    try {
      const config = (await (await fromPage(harness, '/__harness/desktop')).json()) as DesktopConfig
      expect(config.enabled).toBe(true)
      expect(config.files.map((file) => file.path)).toEqual([
        join(keyFolder, 'AuthKey_ABCDE12345.p8'),
      ])

      const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString()
      const pasted = await fromPage(harness, '/__ipc', {
        channel: 'keys:pasteClipboard',
        clipboard: { text: pem },
      })
      const body = await pasted.text()
      expect(JSON.parse(body)).toMatchObject({
        ok: true,
        value: { status: 'imported', draft: { source: 'clipboard', clipboardHoldsKey: true } },
      })
      expect(body).not.toContain('PRIVATE KEY')
      // What the page sent is an input, not part of the request the IPC log proves things about.
      expect(JSON.stringify(harness.ipcLog)).not.toContain('PRIVATE KEY')
    } finally {
      await harness.close()
      await rm(keyFolder, { recursive: true, force: true })
    }
  })

  it('a picker answer from another origin, or for no open picker, is refused', async () => {
    const harness = await startHarness({
      apiBase: 'http://127.0.0.1:9',
      rendererDir,
      desktop: { keyFolders: [] },
    })
    try {
      expect((await fromPage(harness, '/__harness/picker', { id: 'x', path: null })).status).toBe(
        409,
      )
      const foreign = await fetch(`${harness.origin}/__harness/picker`, {
        method: 'POST',
        headers: { Cookie: `ascent_harness=${harness.token}`, Origin: 'http://evil.example' },
        body: JSON.stringify({ id: 'x', path: null }),
      })
      expect(foreign.status).toBe(409)
      expect(existsSync(harness.dataDir)).toBe(true)
    } finally {
      await harness.close()
    }
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
