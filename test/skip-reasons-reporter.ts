/** Prints why a test was skipped, next to Playwright's list output (the list reporter does not). */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter'

export default class SkipReasonsReporter implements Reporter {
  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return
    const reasons = test.annotations
      .filter((annotation) => annotation.type === 'skip' && annotation.description)
      .map((annotation) => annotation.description)
    if (reasons.length === 0) return
    const title = test.titlePath().filter(Boolean).join(' › ')
    process.stdout.write(`  skipped: ${title}: ${reasons.join('; ')}\n`)
  }

  printsToStdio(): boolean {
    return true
  }
}
