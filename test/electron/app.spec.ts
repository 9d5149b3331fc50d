/**
 * The real Electron app, driven by Playwright's Electron support. Runs where an Electron binary
 * exists (macOS development machines); elsewhere every test reports itself skipped and why.
 */
import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const electronDir = fileURLToPath(new URL('../../node_modules/electron', import.meta.url))

function electronBinary(): string | null {
  const pathFile = `${electronDir}/path.txt`
  if (!existsSync(pathFile)) return null
  const binary = `${electronDir}/dist/${readFileSync(pathFile, 'utf8').trim()}`
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()

const skipReason =
  'No Electron binary here (it cannot be downloaded on the build machines); run on macOS after `npx install-electron`.'
test.describe('the Electron app', () => {
  test.skip(binary === null, skipReason)

  test('opens a hardened window on app:// with only window.ascent exposed', async () => {
    const app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [fileURLToPath(new URL('../../out/main/index.js', import.meta.url))],
      env: { ...process.env, ASCENT_API_BASE: 'http://127.0.0.1:9' },
    })
    const page = await app.firstWindow()
    expect(page.url()).toBe('app://ascent/')
    const globals = await page.evaluate(() => ({
      ascent: Object.keys(window.ascent).sort(),
      node: typeof (window as unknown as { require?: unknown }).require,
    }))
    expect(globals.node).toBe('undefined')
    expect(globals.ascent).toContain('keys')
    const renderers = await app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().filter((metric) => metric.type === 'Tab'),
    )
    expect(renderers.length).toBeGreaterThan(0)
    for (const renderer of renderers) expect(renderer.sandboxed).toBe(true)
    await app.close()
  })
})
