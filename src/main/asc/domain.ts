import type { z } from 'zod'
import type { AscFailure } from './errors'
import { AscError } from './errors'
import type { IncludedResource, Known, ResourceOf, ResourceType } from './schemas'
import {
  PLATFORMS,
  RESOURCE_SCHEMAS,
  type APP_VERSION_STATES,
  type BUILD_AUDIENCE_TYPES,
  type EXTERNAL_BETA_STATES,
  type INTERNAL_BETA_STATES,
  type PROCESSING_STATES,
  type RELEASE_TYPES,
} from './schemas'

/**
 * Plain objects shaped for the screens: no JSON:API, dates as epoch milliseconds, related facts
 * (marketing version, TestFlight states) folded into the row that shows them.
 */

export type Platform = (typeof PLATFORMS)[number]
export type ProcessingState = Known<(typeof PROCESSING_STATES)[number]>
export type BuildAudienceType = Known<(typeof BUILD_AUDIENCE_TYPES)[number]>
export type InternalBetaState = Known<(typeof INTERNAL_BETA_STATES)[number]>
export type ExternalBetaState = Known<(typeof EXTERNAL_BETA_STATES)[number]>
export type AppVersionState = Known<(typeof APP_VERSION_STATES)[number]>
export type ReleaseType = Known<(typeof RELEASE_TYPES)[number]>

export interface AppStoreVersionSummary {
  id: string
  versionString: string
  platform: Known<Platform>
  state: AppVersionState | null
  releaseType: ReleaseType | null
  createdAt: number | null
}

export interface AppSummary {
  id: string
  name: string
  bundleId: string
  sku: string | null
  primaryLocale: string | null
  /** Platforms of the app's App Store versions, in Apple's order (iOS, macOS, tvOS, visionOS). */
  platforms: Platform[]
  /** The newest App Store version of each platform. */
  latestVersions: AppStoreVersionSummary[]
}

export interface BuildRow {
  id: string
  /** CFBundleVersion (Apple's `version` attribute). */
  buildNumber: string
  /** CFBundleShortVersionString, from the build's pre-release version. */
  marketingVersion: string | null
  platform: Known<Platform> | null
  preReleaseVersionId: string | null
  uploadedAt: number
  expiresAt: number | null
  expired: boolean
  processingState: ProcessingState
  /** null: export compliance not answered yet. */
  usesNonExemptEncryption: boolean | null
  buildAudienceType: BuildAudienceType | null
  minOsVersion: string | null
  internalState: InternalBetaState | null
  externalState: ExternalBetaState | null
  /** The icon as Apple's template: fill `{w}`, `{h}` and `{f}` (e.g. 64, 64, `png`). */
  iconTemplateUrl: string | null
}

export interface BuildDetail extends BuildRow {
  lsMinimumSystemVersion: string | null
  autoNotifyEnabled: boolean | null
  appStoreVersion: AppStoreVersionSummary | null
}

/** Where a response came from, for the error a bad shape turns into. */
export interface ResponseContext {
  request: string
  status: number
}

function shapeError(context: ResponseContext, issues: z.core.$ZodIssue[], at: string): AscError {
  const failure: AscFailure = {
    kind: 'bad_response',
    reason: 'shape',
    status: context.status,
    request: context.request,
    issues: issues.slice(0, 5).map((issue) => {
      const path = [at, ...issue.path.map(String)].filter((part) => part !== '').join('.')
      return `${path || '(body)'}: ${issue.message}`
    }),
  }
  return new AscError(failure)
}

/** Parses at the boundary: a body that is not the expected shape is an `AscError`. */
export function parseBody<T extends z.ZodType>(
  schema: T,
  body: unknown,
  context: ResponseContext,
  at = '',
): z.infer<T> {
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw shapeError(context, parsed.error.issues, at)
  return parsed.data
}

/** A resource schema: `type` is one literal, so an included resource is read by type and id. */
export type ResourceSchema = z.ZodObject<{ type: z.ZodLiteral<string>; id: z.ZodString }>

/** The `included` array of one response, read by type and id. */
export class Included {
  private readonly raw = new Map<string, IncludedResource>()
  /** Per schema (a resource may be read by a narrow schema of its own), by `type:id`. */
  private readonly parsed = new Map<z.ZodType, Map<string, unknown>>()

  constructor(
    included: readonly IncludedResource[] | undefined,
    private readonly context: ResponseContext,
  ) {
    for (const resource of included ?? []) this.raw.set(`${resource.type}:${resource.id}`, resource)
  }

  get<T extends ResourceType>(
    type: T,
    ref: { type: string; id: string } | null | undefined,
  ): ResourceOf<T> | null {
    const schema: ResourceSchema = RESOURCE_SCHEMAS[type]
    return this.read(schema, ref) as ResourceOf<T> | null
  }

  /** The resource `ref` points at, read with `schema`; null when it is not included. */
  read<S extends ResourceSchema>(
    schema: S,
    ref: { type: string; id: string } | null | undefined,
  ): z.infer<S> | null {
    const type = schema.shape.type.value
    if (!ref || ref.type !== type) return null
    const key = `${type}:${ref.id}`
    let parsed = this.parsed.get(schema)
    if (!parsed) {
      parsed = new Map()
      this.parsed.set(schema, parsed)
    }
    if (parsed.has(key)) return parsed.get(key) as z.infer<S>
    const raw = this.raw.get(key)
    if (!raw) return null
    const resource = parseBody(schema, raw, this.context, `included(${key})`)
    parsed.set(key, resource)
    return resource
  }

  all<T extends ResourceType>(
    type: T,
    refs: readonly { type: string; id: string }[] | undefined,
  ): ResourceOf<T>[] {
    const found: ResourceOf<T>[] = []
    for (const ref of refs ?? []) {
      const resource = this.get(type, ref)
      if (resource) found.push(resource)
    }
    return found
  }
}

function time(value: string | null | undefined): number | null {
  return value ? Date.parse(value) : null
}

export function toAppStoreVersion(
  resource: ResourceOf<'appStoreVersions'>,
): AppStoreVersionSummary {
  const attributes = resource.attributes
  return {
    id: resource.id,
    versionString: attributes.versionString,
    platform: attributes.platform,
    state: attributes.appVersionState ?? null,
    releaseType: attributes.releaseType ?? null,
    createdAt: time(attributes.createdDate),
  }
}

export function toAppSummary(resource: ResourceOf<'apps'>, included: Included): AppSummary {
  const versions = included
    .all('appStoreVersions', resource.relationships?.appStoreVersions?.data)
    .map(toAppStoreVersion)
  const newest = new Map<string, AppStoreVersionSummary>()
  for (const version of versions) {
    const seen = newest.get(version.platform)
    if (!seen || (version.createdAt ?? 0) > (seen.createdAt ?? 0))
      newest.set(version.platform, version)
  }
  return {
    id: resource.id,
    name: resource.attributes.name,
    bundleId: resource.attributes.bundleId,
    sku: resource.attributes.sku ?? null,
    primaryLocale: resource.attributes.primaryLocale ?? null,
    platforms: PLATFORMS.filter((platform) => newest.has(platform)),
    latestVersions: PLATFORMS.flatMap((platform) => newest.get(platform) ?? []),
  }
}

export function toBuildRow(resource: ResourceOf<'builds'>, included: Included): BuildRow {
  const attributes = resource.attributes
  const relationships = resource.relationships
  const preReleaseVersion = included.get(
    'preReleaseVersions',
    relationships?.preReleaseVersion?.data,
  )
  const betaDetail = included.get('buildBetaDetails', relationships?.buildBetaDetail?.data)
  return {
    id: resource.id,
    buildNumber: attributes.version,
    marketingVersion: preReleaseVersion?.attributes.version ?? null,
    platform: preReleaseVersion?.attributes.platform ?? null,
    preReleaseVersionId: relationships?.preReleaseVersion?.data?.id ?? null,
    uploadedAt: Date.parse(attributes.uploadedDate),
    expiresAt: time(attributes.expirationDate),
    expired: attributes.expired ?? false,
    processingState: attributes.processingState,
    usesNonExemptEncryption: attributes.usesNonExemptEncryption ?? null,
    buildAudienceType: attributes.buildAudienceType ?? null,
    minOsVersion: attributes.minOsVersion ?? null,
    internalState: betaDetail?.attributes?.internalBuildState ?? null,
    externalState: betaDetail?.attributes?.externalBuildState ?? null,
    iconTemplateUrl: attributes.iconAssetToken?.templateUrl ?? null,
  }
}

export function toBuildDetail(resource: ResourceOf<'builds'>, included: Included): BuildDetail {
  const relationships = resource.relationships
  const betaDetail = included.get('buildBetaDetails', relationships?.buildBetaDetail?.data)
  const appStoreVersion = included.get('appStoreVersions', relationships?.appStoreVersion?.data)
  return {
    ...toBuildRow(resource, included),
    lsMinimumSystemVersion: resource.attributes.lsMinimumSystemVersion ?? null,
    autoNotifyEnabled: betaDetail?.attributes?.autoNotifyEnabled ?? null,
    appStoreVersion: appStoreVersion ? toAppStoreVersion(appStoreVersion) : null,
  }
}

/** Newest first; equal upload times by build id so the order is stable. */
export function newestFirst(
  a: Pick<BuildRow, 'uploadedAt' | 'id'>,
  b: Pick<BuildRow, 'uploadedAt' | 'id'>,
): number {
  return b.uploadedAt - a.uploadedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}
