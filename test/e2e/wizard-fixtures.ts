/**
 * Fixtures for the wizard's e2e tests: the harness talks to an Apple sandbox (one per worker), and
 * each test gets a temp folder of key files generated at run time (never committed), plus the
 * page-side steps the tests share.
 */
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { startHarness } from '../harness/server'
import { startSandbox, type Sandbox } from '../sandbox'
import { expect, test as base } from './fixtures'

export interface GeneratedKey {
  pem: string
  /** What Ascent should show: the first 8 bytes of SHA-256(SPKI DER), as `AB:CD:…`. */
  fingerprintShort: string
}

export interface KeyFile extends GeneratedKey {
  path: string
}

export interface KeyFiles {
  /** A fresh P-256 PKCS#8 key, not written anywhere (for the clipboard). */
  p256: () => GeneratedKey
  /** A fresh P-256 PKCS#8 key written as `name` in the test's temp folder. */
  p256File: (name: string) => Promise<KeyFile>
  /** A fresh RSA PKCS#8 key written as `name`: intake must refuse it. */
  rsaFile: (name: string) => Promise<string>
}

export function fingerprintOfPem(pem: string): string {
  const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' })
  const hex = createHash('sha256').update(spki).digest('hex').slice(0, 16).toUpperCase()
  return (hex.match(/../g) ?? []).join(':')
}

function p256(): GeneratedKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  return { pem, fingerprintShort: fingerprintOfPem(pem) }
}

export const test = base.extend<{ keyFiles: KeyFiles }, { sandbox: Sandbox }>({
  sandbox: [
    async ({}, use) => {
      const sandbox = await startSandbox({ keyFiles: true })
      await use(sandbox)
      await sandbox.close()
    },
    { scope: 'worker' },
  ],
  harness: async ({ sandbox }, use) => {
    const harness = await startHarness({ apiBase: sandbox.url })
    await use(harness)
    await harness.close()
  },
  keyFiles: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'ascent-wizard-keys-'))
    await use({
      p256,
      p256File: async (name) => {
        const key = p256()
        const path = join(dir, name)
        await writeFile(path, key.pem, { mode: 0o600 })
        return { ...key, path }
      },
      rsaFile: async (name) => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
        const path = join(dir, name)
        await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
        return path
      },
    })
    await rm(dir, { recursive: true, force: true })
  },
})

export { expect }

/** ⌘ in the app; the harness runs on Linux, where the renderer takes Ctrl. */
export const COMMAND = process.platform === 'darwin' ? 'Meta' : 'Control'

export async function openWizard(page: Page): Promise<Locator> {
  await page.keyboard.press(`${COMMAND}+n`)
  const wizard = page.getByRole('dialog', { name: 'Add API Key' })
  await expect(wizard.getByRole('heading', { name: 'Add the key file' })).toBeFocused()
  return wizard
}

/**
 * Drops a file the way Chromium does: a `drop` event whose DataTransfer holds a File. The File is
 * empty on purpose; the harness maps its name to `path`, and main reads the file there.
 */
export async function dropFile(page: Page, target: string, name: string, path: string) {
  await page.evaluate((drop) => window.__ascentHarness.dropPaths.set(drop.name, drop.path), {
    name,
    path,
  })
  await page.evaluate(
    (drop) => {
      const data = new DataTransfer()
      data.items.add(new File([''], drop.name))
      const element = document.querySelector(drop.target) ?? document.body
      for (const type of ['dragenter', 'dragover', 'drop']) {
        element.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
        )
      }
    },
    { target, name },
  )
}

/** The IPC requests the page sent on `channel`, in order. */
export function requestsOn(
  harness: { ipcLog: { channel: string; request: unknown }[] },
  channel: string,
) {
  return harness.ipcLog.filter((entry) => entry.channel === channel).map((entry) => entry.request)
}
