import type { TokenPreset } from './contract/key-life'

/**
 * Copy Token's presets: the read-only requests each allows (a token's `scope`), and the request
 * its curl example makes. For main, which signs, and for the sheet, which lists them.
 */
export const TOKEN_PRESETS: Record<
  TokenPreset,
  { label: string; scope: string[]; example: string }
> = {
  apps: { label: 'Apps', scope: ['GET /v1/apps'], example: '/v1/apps?limit=5' },
  builds: {
    label: 'Builds',
    scope: ['GET /v1/builds'],
    example: '/v1/builds?sort=-uploadedDate&limit=5',
  },
  testflight: {
    label: 'TestFlight',
    scope: ['GET /v1/betaGroups', 'GET /v1/preReleaseVersions'],
    example: '/v1/betaGroups?limit=5',
  },
}
