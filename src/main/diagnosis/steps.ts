import type { CheckStep, CheckStepId, CheckStepState } from '../../shared/contract/keys'
import { pendingCheckSteps } from '../../shared/check-steps'

/** The check's steps as they change, reported after every change. */
export class StepTracker {
  private readonly steps: CheckStep[] = pendingCheckSteps()

  constructor(private readonly onChange: (steps: CheckStep[]) => void = () => undefined) {}

  set(id: CheckStepId, state: CheckStepState, detail: string | null = null): void {
    const step = this.steps.find((candidate) => candidate.id === id)
    if (!step) return
    step.state = state
    step.detail = detail
    this.onChange(this.snapshot())
  }

  /** Marks every step still pending as skipped, with one report. */
  skipRest(detail: string): void {
    let changed = false
    for (const step of this.steps) {
      if (step.state !== 'pending') continue
      step.state = 'skipped'
      step.detail = detail
      changed = true
    }
    if (changed) this.onChange(this.snapshot())
  }

  snapshot(): CheckStep[] {
    return this.steps.map((step) => ({ ...step }))
  }
}
