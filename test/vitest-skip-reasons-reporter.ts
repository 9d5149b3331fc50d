/** Prints why a unit test was skipped, after vitest's summary (its default reporter does not). */
import type { Reporter, TestCase } from 'vitest/node'

export default class SkipReasonsReporter implements Reporter {
  private readonly reasons: string[] = []

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result()
    if (result.state !== 'skipped' || !result.note) return
    this.reasons.push(
      `  skipped: ${testCase.module.moduleId.replace(`${process.cwd()}/`, '')} › ${testCase.fullName}: ${result.note}`,
    )
  }

  onTestRunEnd(): void {
    if (this.reasons.length > 0) process.stdout.write(`${this.reasons.join('\n')}\n`)
  }
}
