import type { CheckStep } from '../../shared/contract/keys'
import type { Diagnosis } from '../../shared/diagnosis'
import type { IdProblem, KeyType, Role } from '../../shared/keys'
import { blockingProblem, checkIds, ROLE_LABELS } from '../../shared/keys'
import type { AscClient, AscKeyClient, ProbeResult } from '../asc'
import { isAscError } from '../asc'
import { AppError, isAppError } from '../errors'
import type { SigningIdentity, TokenSigner } from '../tokens'
import * as copy from './copy'
import type { Surface } from './copy'
import type { DiagnosableFailure } from './failures'
import { diagnoseFailure, factsOf, isAgreementsCode } from './failures'
import { inferRole, isRoleVerified } from './role'
import { StepTracker } from './steps'
import { tokenProblems } from './token-claims'

/**
 * The key check: every local check first (the key, the IDs, the token's claims), then the reads
 * that show what Apple lets the key do. Shared by the wizard's live check, the team re-check and
 * `ascent doctor`. A failure ends in the most likely cause; what does not block becomes a warning.
 */

/** Whether the private key could be read; if not, why, as the diagnosis to show. */
export type PrivateKeyStatus =
  { ok: true; fingerprint: string } | { ok: false; diagnosis: Diagnosis }

export interface CheckSubject {
  keyType: KeyType
  /** As entered; ignored for individual keys. */
  issuerId: string
  /** As entered. */
  keyId: string
  /** The key ID in the key file's name (`AuthKey_<key ID>.p8`), if it had one. */
  keyIdFromFileName: string | null
  privateKey: PrivateKeyStatus
  /** The role the user says the key has; null when they do not know. */
  claimedRole: Role | null
  /** An app the key should see (`ascent doctor --app-id`): a 404 there is `team.not_found`. */
  appId?: string | null
}

export interface CheckEnvironment {
  /** The client, built on the same token signer as `tokens`. */
  asc: AscClient
  tokens: Pick<TokenSigner, 'token'>
  /** Whose controls the hints name: the app's (default) or `ascent doctor`'s flags. */
  surface?: Surface
}

export interface CheckOptions {
  /** Aborts the requests in flight; the check then throws `keys.check_canceled`. */
  signal?: AbortSignal
  /** Called with every step after each change. */
  onProgress?: (steps: CheckStep[]) => void
}

export interface CheckOutcome {
  /** `ok`, or the most likely cause of the failure. */
  diagnosis: Diagnosis
  /** Findings that do not block: a renamed key file, a clock that is off, a read not allowed. */
  warnings: Diagnosis[]
  steps: CheckStep[]
  /** Apple accepted the token: it answered something other than 401. */
  authenticated: boolean
  /** Apple accepted the key and it can list apps: the steps `auth` and `apps` passed. */
  accepted: boolean
  /** The role inferred from what the key may do, or else the one the user said (see role.ts). */
  role: Role | null
  /** Apple confirmed `role`: only an Admin key can be confirmed, by listing users. */
  roleVerified: boolean
  /** Who signed, with normalized IDs; null when the IDs were not valid or the key unreadable. */
  identity: SigningIdentity | null
}

export function checkCanceled(): AppError {
  return new AppError('keys.check_canceled', 'The check was canceled; nothing was saved.')
}

const NOT_CHECKED = 'Not checked: an earlier step failed.'

/**
 * Apple identified the key before refusing the request: the token itself was accepted. The
 * check's reads name no app, so a 404 to one of them comes from the address, a proxy or Apple's
 * trouble (`apple.path_not_found`): no verdict on the key either.
 */
function tokenAccepted(failure: DiagnosableFailure): boolean {
  return (
    failure.kind === 'http' &&
    failure.status !== 401 &&
    failure.status !== 404 &&
    failure.status < 500
  )
}

function isForbiddenByRole(failure: DiagnosableFailure): boolean {
  return failure.kind === 'http' && failure.status === 403 && !isAgreementsCode(failure.appleCode)
}

function appsDetail(probe: ProbeResult): string {
  return probe.total === null
    ? 'Apple lists the team’s apps.'
    : `Sees ${probe.total} app${probe.total === 1 ? '' : 's'}.`
}

export async function runKeyCheck(
  subject: CheckSubject,
  env: CheckEnvironment,
  options: CheckOptions = {},
): Promise<CheckOutcome> {
  const { signal } = options
  const steps = new StepTracker(options.onProgress)
  const { keyType } = subject
  const appId = subject.appId ?? null
  const surface = env.surface ?? 'app'
  let identity: SigningIdentity | null = null
  let mismatch: IdProblem | null = null

  const throwIfCanceled = () => {
    if (signal?.aborted) throw checkCanceled()
  }

  /** The failure of a client call; cancellation and anything unexpected are thrown on. */
  const failureOf = (error: unknown): DiagnosableFailure => {
    throwIfCanceled()
    if (!isAscError(error)) throw error
    if (error.failure.kind === 'canceled') throw checkCanceled()
    return error.failure
  }

  const usage = () =>
    identity ? env.asc.usage(identity) : { rateLimit: null, clockOffsetSeconds: null }

  /** The clock and the key file name, as warnings, unless they are the main finding. */
  const contextWarnings = (main: Diagnosis, accepted: boolean): Diagnosis[] => {
    const found: Diagnosis[] = []
    if (mismatch && main.code !== 'input.key_id_mismatch') {
      found.push(
        accepted && subject.keyIdFromFileName && identity
          ? copy.keyIdMismatchAccepted(subject.keyIdFromFileName, identity.keyId)
          : copy.idProblem(mismatch, surface),
      )
    }
    const offset = usage().clockOffsetSeconds
    if (
      offset !== null &&
      Math.abs(offset) > copy.CLOCK_SKEW_THRESHOLD_SECONDS &&
      main.code !== 'auth.clock_skew'
    ) {
      found.push(copy.clockSkewCorrected(offset, factsOf(usage())))
    }
    return found
  }

  const stop = (diagnosis: Diagnosis, authenticated = false): CheckOutcome => {
    steps.skipRest(NOT_CHECKED)
    return {
      diagnosis,
      warnings: contextWarnings(diagnosis, false),
      steps: steps.snapshot(),
      authenticated,
      accepted: false,
      role: null,
      roleVerified: false,
      identity,
    }
  }

  throwIfCanceled()
  steps.set('parse', 'running')
  if (!subject.privateKey.ok) {
    steps.set('parse', 'failed', subject.privateKey.diagnosis.detail)
    return stop(subject.privateKey.diagnosis)
  }
  const { fingerprint } = subject.privateKey
  steps.set('parse', 'passed', 'An EC P-256 private key, as Apple issues.')

  steps.set('sign', 'running')
  const ids = checkIds({
    keyType,
    issuerId: subject.issuerId,
    keyId: subject.keyId,
    keyIdFromFileName: subject.keyIdFromFileName,
  })
  const blocking = blockingProblem(ids)
  if (blocking || !ids.keyId) {
    const problem: IdProblem = blocking ?? {
      code: 'input.key_id_invalid',
      field: 'keyId',
      severity: 'error',
      message: 'Enter the key ID.',
    }
    steps.set('sign', 'failed', `Not signed: ${problem.message}`)
    return stop(copy.idProblem(problem, surface))
  }
  mismatch = ids.problems.find((problem) => problem.code === 'input.key_id_mismatch') ?? null
  identity = {
    keyType,
    keyId: ids.keyId,
    issuerId: keyType === 'team' ? ids.issuerId : null,
    fingerprint,
  }
  let token: string
  try {
    token = await env.tokens.token(identity)
  } catch (error) {
    if (!isAppError(error)) throw error
    steps.set('sign', 'failed', error.message)
    return stop(copy.privateKeyInvalid(error.message, null))
  }
  const problems = tokenProblems(token, identity)
  if (problems.length > 0) {
    const diagnosis = copy.tokenInvalid(problems)
    steps.set('sign', 'failed', diagnosis.detail)
    return stop(diagnosis)
  }
  steps.set('sign', 'passed', `An ES256 token for key ${identity.keyId}.`)

  const signer = identity
  const client: AscKeyClient = env.asc.forKey(signer)
  const context = () => ({ keyType, surface, usage: usage(), appId: null })

  throwIfCanceled()
  steps.set('auth', 'running')
  let apps: ProbeResult
  try {
    apps = await client.probeApps({ signal })
  } catch (error) {
    const failure = failureOf(error)
    if (failure.kind === 'http' && failure.status === 401) {
      steps.set('auth', 'failed', 'Apple answered 401 Not Authorized.')
      return stop(await explainRejection(failure))
    }
    const diagnosis = diagnoseFailure(failure, context())
    if (tokenAccepted(failure)) {
      const status = failure.kind === 'http' ? failure.status : 0
      steps.set('auth', 'passed', `Apple knows the key: it answered ${status}, not 401.`)
      steps.set('apps', 'failed', diagnosis.title)
      return stop(diagnosis, true)
    }
    // The title as written: it names products ("App Store Connect") that keep their case.
    steps.set('auth', 'failed', `${diagnosis.title}, so Apple gave no verdict on the key.`)
    return stop(diagnosis)
  }
  steps.set('auth', 'passed', null)

  let appName: string | null = null
  if (appId) {
    steps.set('apps', 'running', `${appsDetail(apps)} Looking for app ${appId}…`)
    try {
      appName = (await client.getApp(appId, { signal })).name
    } catch (error) {
      const failure = failureOf(error)
      const diagnosis = diagnoseFailure(failure, { ...context(), appId })
      steps.set('apps', 'failed', diagnosis.title)
      return stop(diagnosis, true)
    }
  }
  steps.set('apps', 'passed', appName ? `${appsDetail(apps)} Sees ${appName}.` : appsDetail(apps))

  const warnings: Diagnosis[] = []

  throwIfCanceled()
  steps.set('testflight', 'running')
  let testFlight: boolean | null = null
  try {
    await client.probeTestFlight({ signal })
    testFlight = true
    steps.set('testflight', 'passed', null)
  } catch (error) {
    const failure = failureOf(error)
    if (isForbiddenByRole(failure)) testFlight = false
    const diagnosis = diagnoseFailure(failure, context())
    warnings.push(diagnosis)
    steps.set('testflight', 'failed', diagnosis.title)
  }

  throwIfCanceled()
  steps.set('users', 'running')
  let users: boolean | null = null
  try {
    await client.probeUsers({ signal })
    users = true
    steps.set('users', 'passed', 'Allowed: this is an Admin key.')
  } catch (error) {
    const failure = failureOf(error)
    const diagnosis = diagnoseFailure(failure, context())
    if (isForbiddenByRole(failure)) {
      users = false
      if (subject.claimedRole === 'ADMIN') {
        warnings.push(diagnosis)
        steps.set('users', 'failed', `Not allowed: this is not an Admin key. ${diagnosis.title}.`)
      } else {
        steps.set('users', 'skipped', notAdminDetail(keyType, subject.claimedRole))
      }
    } else {
      warnings.push(diagnosis)
      steps.set('users', 'failed', diagnosis.title)
    }
  }

  const role = inferRole(keyType, subject.claimedRole, { testFlight, users })
  const diagnosis = copy.keyWorks(
    { apps: apps.total, appName, testFlight: testFlight === true, users: users === true },
    factsOf(usage()),
  )
  return {
    diagnosis,
    warnings: [...contextWarnings(diagnosis, true), ...warnings],
    steps: steps.snapshot(),
    authenticated: true,
    accepted: true,
    role,
    roleVerified: isRoleVerified(role, { testFlight, users }),
    identity: signer,
  }

  /**
   * A 401, explained by the likeliest cause: a clock far off (Ascent corrected for it and still
   * got 401), a key file named for another key ID, or an individual key checked as a team key
   * (one more read, as an individual key, tells). Else Apple's plain refusal.
   */
  async function explainRejection(failure: DiagnosableFailure): Promise<Diagnosis> {
    const facts = factsOf(usage(), failure)
    const offset = usage().clockOffsetSeconds
    if (offset !== null && Math.abs(offset) > copy.CLOCK_SKEW_THRESHOLD_SECONDS) {
      return copy.clockSkewRejected(keyType, surface, offset, facts)
    }
    if (mismatch && subject.keyIdFromFileName) {
      return copy.keyIdMismatchRejected(mismatch, subject.keyIdFromFileName, facts)
    }
    if (keyType === 'team' && (await worksAsIndividualKey())) {
      return copy.individualKeyAsTeamKey(surface, facts)
    }
    return copy.authRejected(keyType, surface, facts)
  }

  async function worksAsIndividualKey(): Promise<boolean> {
    const individual: SigningIdentity = { ...signer, keyType: 'individual', issuerId: null }
    try {
      // One request: it asks only whether this token shape is accepted, and the clock was
      // already read from the 401 before it, so a fresh token would only double the question.
      await env.asc.forKey(individual).probeApps({ signal, refreshAfter401: false })
      return true
    } catch (error) {
      return tokenAccepted(failureOf(error))
    }
  }
}

function notAdminDetail(keyType: KeyType, claimed: Role | null): string {
  if (keyType === 'individual') {
    return 'Not allowed: the key’s user is not an Admin. Fine unless the key should manage users.'
  }
  if (!claimed) {
    return 'Not allowed: this is not an Admin key. Fine unless the key should manage users.'
  }
  // As said: nothing the check reads tells an App Manager key from a Developer key.
  const article = claimed === 'APP_MANAGER' ? 'an' : 'a'
  return `Not allowed (Admin only), as expected if this is ${article} ${ROLE_LABELS[claimed]} key.`
}
