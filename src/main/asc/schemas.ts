import { z } from 'zod'

/**
 * The narrow part of Apple's spec (3.8.0) this client reads, as zod schemas checked at the
 * boundary. Unknown attributes, relationships and resource types are dropped; what the screens
 * cannot do without (an app's name, a build's number) is required. Apple adds enum values over
 * time, so an unknown value reads as `UNKNOWN` instead of failing a whole page.
 * test/main/asc/schemas.test.ts proves every attribute read here against the spec.
 */

export const PLATFORMS = ['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'] as const
export const PROCESSING_STATES = ['PROCESSING', 'FAILED', 'INVALID', 'VALID'] as const
export const BUILD_AUDIENCE_TYPES = ['INTERNAL_ONLY', 'APP_STORE_ELIGIBLE'] as const
export const INTERNAL_BETA_STATES = [
  'PROCESSING',
  'PROCESSING_EXCEPTION',
  'MISSING_EXPORT_COMPLIANCE',
  'READY_FOR_BETA_TESTING',
  'IN_BETA_TESTING',
  'EXPIRED',
  'IN_EXPORT_COMPLIANCE_REVIEW',
] as const
export const EXTERNAL_BETA_STATES = [
  ...INTERNAL_BETA_STATES,
  'READY_FOR_BETA_SUBMISSION',
  'WAITING_FOR_BETA_REVIEW',
  'IN_BETA_REVIEW',
  'BETA_REJECTED',
  'BETA_APPROVED',
] as const
export const APP_VERSION_STATES = [
  'ACCEPTED',
  'DEVELOPER_REJECTED',
  'IN_REVIEW',
  'INVALID_BINARY',
  'METADATA_REJECTED',
  'PENDING_APPLE_RELEASE',
  'PENDING_DEVELOPER_RELEASE',
  'PREPARE_FOR_SUBMISSION',
  'PROCESSING_FOR_DISTRIBUTION',
  'READY_FOR_DISTRIBUTION',
  'READY_FOR_REVIEW',
  'REJECTED',
  'REPLACED_WITH_NEW_VERSION',
  'WAITING_FOR_EXPORT_COMPLIANCE',
  'WAITING_FOR_REVIEW',
] as const
export const RELEASE_TYPES = ['MANUAL', 'AFTER_APPROVAL', 'SCHEDULED'] as const

export const UNKNOWN = 'UNKNOWN'
/** A value of an Apple enum, or `UNKNOWN` for one added after spec 3.8.0. */
export type Known<T extends string> = T | typeof UNKNOWN

/** A value of Apple's enum `values`, or `UNKNOWN` for one added since. */
export function knownOr<const T extends readonly [string, ...string[]]>(values: T) {
  return z.union([z.enum(values), z.string().transform((): typeof UNKNOWN => UNKNOWN)])
}

export const dateTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected a date-time' })

export const resourceRef = z.object({ type: z.string(), id: z.string() })
const pagingMeta = z.object({
  paging: z.object({ total: z.int().nonnegative().optional() }),
})
export const toOne = z.object({ data: resourceRef.nullish() }).optional()
export const toMany = z
  .object({ data: z.array(resourceRef).optional(), meta: pagingMeta.optional() })
  .optional()

export const imageAssetSchema = z.object({
  templateUrl: z.string(),
  width: z.int().nullish(),
  height: z.int().nullish(),
})

export const appSchema = z.object({
  type: z.literal('apps'),
  id: z.string(),
  attributes: z.object({
    name: z.string(),
    bundleId: z.string(),
    sku: z.string().nullish(),
    primaryLocale: z.string().nullish(),
  }),
  relationships: z.object({ appStoreVersions: toMany }).optional(),
})

export const buildSchema = z.object({
  type: z.literal('builds'),
  id: z.string(),
  attributes: z.object({
    version: z.string(),
    uploadedDate: dateTime,
    expirationDate: dateTime.nullish(),
    expired: z.boolean().nullish(),
    minOsVersion: z.string().nullish(),
    lsMinimumSystemVersion: z.string().nullish(),
    processingState: knownOr(PROCESSING_STATES),
    buildAudienceType: knownOr(BUILD_AUDIENCE_TYPES).nullish(),
    usesNonExemptEncryption: z.boolean().nullish(),
    iconAssetToken: imageAssetSchema.nullish(),
  }),
  relationships: z
    .object({
      preReleaseVersion: toOne,
      buildBetaDetail: toOne,
      appStoreVersion: toOne,
    })
    .optional(),
})

export const preReleaseVersionSchema = z.object({
  type: z.literal('preReleaseVersions'),
  id: z.string(),
  attributes: z.object({
    version: z.string(),
    platform: knownOr(PLATFORMS),
  }),
  relationships: z.object({ builds: toMany }).optional(),
})

export const buildBetaDetailSchema = z.object({
  type: z.literal('buildBetaDetails'),
  id: z.string(),
  attributes: z
    .object({
      internalBuildState: knownOr(INTERNAL_BETA_STATES).nullish(),
      externalBuildState: knownOr(EXTERNAL_BETA_STATES).nullish(),
      autoNotifyEnabled: z.boolean().nullish(),
    })
    .optional(),
})

export const betaGroupSchema = z.object({
  type: z.literal('betaGroups'),
  id: z.string(),
  attributes: z.object({
    name: z.string(),
    createdDate: dateTime.nullish(),
    isInternalGroup: z.boolean().nullish(),
    hasAccessToAllBuilds: z.boolean().nullish(),
    publicLinkEnabled: z.boolean().nullish(),
    publicLink: z.string().nullish(),
    feedbackEnabled: z.boolean().nullish(),
  }),
})

export const appStoreVersionSchema = z.object({
  type: z.literal('appStoreVersions'),
  id: z.string(),
  attributes: z.object({
    platform: knownOr(PLATFORMS),
    versionString: z.string(),
    appVersionState: knownOr(APP_VERSION_STATES).nullish(),
    releaseType: knownOr(RELEASE_TYPES).nullish(),
    createdDate: dateTime.nullish(),
  }),
})

/** The users probe reads no attribute: it proves the key may list the team's users. */
export const userSchema = z.object({ type: z.literal('users'), id: z.string() })

/** Every resource schema, by its JSON:API type. */
export const RESOURCE_SCHEMAS = {
  apps: appSchema,
  builds: buildSchema,
  preReleaseVersions: preReleaseVersionSchema,
  buildBetaDetails: buildBetaDetailSchema,
  betaGroups: betaGroupSchema,
  appStoreVersions: appStoreVersionSchema,
  users: userSchema,
} as const

export type ResourceType = keyof typeof RESOURCE_SCHEMAS
export type ResourceOf<T extends ResourceType> = z.infer<(typeof RESOURCE_SCHEMAS)[T]>

/** Included resources are kept raw and read by type when a row needs them. */
const includedResource = z.looseObject({ type: z.string(), id: z.string() })
export type IncludedResource = z.infer<typeof includedResource>

const pagedLinks = z.object({ next: z.string().nullish() })

/** A collection answer; `data` is read with the resource's schema afterwards. */
export const collectionDocument = z.object({
  data: z.array(z.unknown()),
  included: z.array(includedResource).optional(),
  links: pagedLinks,
  meta: pagingMeta.optional(),
})

export const instanceDocument = z.object({
  data: z.unknown(),
  included: z.array(includedResource).optional(),
})

export const errorDocument = z.object({
  errors: z.array(z.object({ code: z.string(), status: z.string().optional() })).min(1),
})
