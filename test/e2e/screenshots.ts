/**
 * Where the e2e suite saves its screenshots: `test-results/screenshots/` on every run (untracked,
 * so `npm test` leaves the checkout clean), or `docs/screenshots/` when `npm run screenshots`
 * refreshes the README's images on purpose (ASCENT_SCREENSHOTS=docs).
 */
import type { Page } from '@playwright/test'

export const SCREENSHOT_DIR =
  process.env.ASCENT_SCREENSHOTS === 'docs' ? 'docs/screenshots' : 'test-results/screenshots'

/** Saves `name`.png once the frame showing the latest change has painted. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)))
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, animations: 'disabled' })
}
