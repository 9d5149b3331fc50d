/**
 * The diagnosis engine: what is wrong with an App Store Connect API key, in words a developer can
 * act on, with a stable code from src/shared/diagnosis.ts. Shared by the wizard's live check
 * (`keys:check` → `keys:save`), the team re-check (`teams:recheck`) and `ascent doctor`.
 *
 *   const outcome = await runKeyCheck(subject, { asc, tokens }, { signal, onProgress })
 *   outcome.diagnosis   // { ok, code, title, detail, hints, facts }
 *   outcome.warnings    // non-blocking findings
 *   outcome.steps       // parse · sign · auth · apps · testflight · users
 *
 *   const checks = createKeyChecks({ keys, asc, tokens, now, notify })  // the IPC side
 */
export { blockedByAgreements, createKeyChecks, verdictOf } from './checks'
export type { KeyChecks, KeyChecksOptions } from './checks'
export {
  CLOCK_SKEW_THRESHOLD_SECONDS,
  describeDuration,
  privateKeyInvalid,
  savedKeyUnavailable,
} from './copy'
export type { Surface } from './copy'
export { checkCanceled, runKeyCheck } from './engine'
export type {
  CheckEnvironment,
  CheckOptions,
  CheckOutcome,
  CheckSubject,
  PrivateKeyStatus,
} from './engine'
export { diagnoseFailure, factsOf } from './failures'
export type { DiagnosableFailure, FailureContext } from './failures'
export { inferRole, isRoleVerified } from './role'
export { suggestTeamName } from './naming'
export type { SeenApp } from './naming'
export type { RoleFindings } from './role'
export { tokenProblems } from './token-claims'
