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
    await page.goto(harness.url)
    await expect(page.getByRole('navigation', { name: 'Teams' })).toBeVisible()
    await use(page)
  },
})

export { expect }
