/** Playwright fixtures: a fresh harness (own data folder, own keychain service) per test. */
import { test as base, expect, type Page } from '@playwright/test'
import { startHarness, type Harness } from '../harness/server'

export interface Fixtures {
  harness: Harness
  app: Page
}

export const test = base.extend<Fixtures>({
  harness: async ({}, use) => {
    const harness = await startHarness({ apiBase: 'http://127.0.0.1:9' })
    await use(harness)
    await harness.close()
  },
  app: async ({ page, harness }, use) => {
    // Every test also proves the page keeps its Content-Security-Policy, Trusted Types included:
    // a violation is recorded here, and a refused sink throws (a page error).
    await page.addInitScript(() => {
      const seen: string[] = []
      Object.defineProperty(window, '__cspViolations', { value: seen })
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(
          `${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${event.sample}`,
        ),
      )
    })
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(harness.url)
    await expect(page.getByRole('navigation', { name: 'Teams' })).toBeVisible()
    await use(page)
    const violations = await page
      .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
      .catch(() => [])
    expect(violations, 'Content-Security-Policy violations').toEqual([])
    expect(pageErrors.filter((message) => /trusted|policy/i.test(message))).toEqual([])
  },
})

export { expect }
