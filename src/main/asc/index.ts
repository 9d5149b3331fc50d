/**
 * The App Store Connect client: typed reads for the screens and the key check, against Apple or
 * the sandbox (the base URL is injected), with per-key queues, retries, timeouts, cancellation,
 * rate-limit and clock tracking. A failed request is an `AscError` (branch on `error.failure`,
 * see errors.ts); what the token signer throws (a keychain error, a missing issuer ID) passes
 * through unchanged.
 *
 *   const asc = createAscClient({ fetch: platform.fetch, baseUrl: platform.apiBase, tokens })
 *   const apps = await asc.forKey(identity).listApps({ signal })
 *   asc.usage(identity) // { rateLimit: { limit, remaining } | null, clockOffsetSeconds }
 */
export { createAscClient, groupVersions, scopeChunks } from './client'
export type {
  AscClient,
  AscClientOptions,
  AscKeyClient,
  BuildPage,
  Collection,
  ProbeResult,
} from './client'
export type {
  AppStoreVersionSummary,
  AppSummary,
  AppVersionState,
  BuildAudienceType,
  BuildDetail,
  BuildRow,
  ExternalBetaState,
  InternalBetaState,
  Platform,
  ProcessingState,
  ReleaseType,
} from './domain'
export { Included, newestFirst } from './domain'
export type { ResourceSchema } from './domain'
export { AscError, classifyNetworkError, isAscError } from './errors'
export type { AscFailure, AscFailureKind, BadResponseReason, NetworkReason } from './errors'
export { earliestHttpDate, parseRateLimit, parseRetryAfter } from './headers'
export { get, INCLUDED_LIMIT, PAGE_LIMIT, requests, requestTarget } from './requests'
export type { AscRequest } from './requests'
export { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry'
export type { RetryPolicy } from './retry'
export type { Known } from './schemas'
export {
  APP_VERSION_STATES,
  appStoreVersionSchema,
  betaGroupSchema,
  buildSchema,
  dateTime,
  knownOr,
  PLATFORMS,
  resourceRef,
  toMany,
  toOne,
  UNKNOWN,
} from './schemas'
export { requestScope } from './scope'
export type { CallOptions, KeyUsage, RequestCounts, Sleep } from './transport'
export type { Lane } from './queue'
