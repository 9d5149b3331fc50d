import type { CheckStep, CheckStepId } from './contract/keys'

/**
 * The key check's steps in the order they run, with what each is called, for main's progress
 * and the wizard's checklist. Apart from the contract so the renderer does not load zod for it.
 */
export const CHECK_STEP_LABELS: Record<CheckStepId, string> = {
  parse: 'Key parses (P-256)',
  sign: 'Token signed',
  auth: 'Apple accepted the token',
  apps: 'Can list apps',
  testflight: 'Can read TestFlight',
  users: 'Can manage users (Admin only)',
}

/** Every step, not started yet: the checklist before the first progress. */
export function pendingCheckSteps(): CheckStep[] {
  return (Object.keys(CHECK_STEP_LABELS) as CheckStepId[]).map((id) => ({
    id,
    label: CHECK_STEP_LABELS[id],
    state: 'pending',
    detail: null,
  }))
}
