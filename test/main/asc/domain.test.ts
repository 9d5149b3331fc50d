import { describe, expect, it } from 'vitest'
import { AscError, groupVersions } from '../../../src/main/asc'
import { Included, parseBody, toAppSummary, toBuildRow } from '../../../src/main/asc/domain'
import { appSchema, buildSchema } from '../../../src/main/asc/schemas'

const context = { request: 'GET /v1/builds?filter[app]=1', status: 200 }

function build(attributes: Record<string, unknown>, relationships: Record<string, unknown> = {}) {
  return {
    type: 'builds',
    id: 'b1',
    attributes: {
      version: '42',
      uploadedDate: '2025-03-06T02:40:43-08:00',
      processingState: 'VALID',
      ...attributes,
    },
    relationships,
  }
}

function failureOf(run: () => unknown): AscError {
  try {
    run()
  } catch (error) {
    if (error instanceof AscError) return error
    throw error
  }
  throw new Error('expected an AscError')
}

describe('reading answers at the boundary', () => {
  it('ignores attributes, relationships and included types it does not know', () => {
    const parsed = parseBody(
      buildSchema,
      build({ shinyNewThing: 1 }, { buildUpload: { data: { type: 'buildUploads', id: 'u' } } }),
      context,
    )
    expect(parsed.attributes).not.toHaveProperty('shinyNewThing')
    const included = new Included([{ type: 'buildUploads', id: 'u', attributes: {} }], context)
    expect(toBuildRow(parsed, included)).toMatchObject({
      buildNumber: '42',
      marketingVersion: null,
    })
  })

  it('reads an enum value added after spec 3.8.0 as UNKNOWN', () => {
    const parsed = parseBody(buildSchema, build({ processingState: 'QUANTUM' }), context)
    expect(parsed.attributes.processingState).toBe('UNKNOWN')
  })

  it('turns a missing required attribute into a typed bad_response, with where but no values', () => {
    const error = failureOf(() =>
      parseBody(
        appSchema,
        { type: 'apps', id: 'a1', attributes: { bundleId: 'com.x' } },
        context,
        'data',
      ),
    )
    expect(error.failure).toEqual({
      kind: 'bad_response',
      reason: 'shape',
      status: 200,
      request: context.request,
      issues: [expect.stringMatching(/^data\.attributes\.name: /) as unknown],
    })
  })

  it('rejects a wrong type and a date that is not one', () => {
    expect(
      failureOf(() => parseBody(buildSchema, build({ expired: 'no' }), context)).failure,
    ).toMatchObject({
      reason: 'shape',
    })
    expect(
      failureOf(() => parseBody(buildSchema, build({ uploadedDate: 'yesterday' }), context))
        .failure,
    ).toMatchObject({ reason: 'shape' })
  })

  it('checks an included resource when a row reads it', () => {
    const parsed = parseBody(
      buildSchema,
      build({}, { preReleaseVersion: { data: { type: 'preReleaseVersions', id: 'p1' } } }),
      context,
    )
    const broken = new Included(
      [{ type: 'preReleaseVersions', id: 'p1', attributes: { platform: 'IOS' } }],
      context,
    )
    expect(failureOf(() => toBuildRow(parsed, broken)).failure).toMatchObject({
      reason: 'shape',
      issues: [
        expect.stringContaining('included(preReleaseVersions:p1).attributes.version') as unknown,
      ],
    })
    const good = new Included(
      [
        {
          type: 'preReleaseVersions',
          id: 'p1',
          attributes: { version: '2.1', platform: 'MAC_OS' },
        },
      ],
      context,
    )
    expect(toBuildRow(parsed, good)).toMatchObject({ marketingVersion: '2.1', platform: 'MAC_OS' })
  })

  it('folds App Store versions into platforms and the newest version of each', () => {
    const app = parseBody(
      appSchema,
      {
        type: 'apps',
        id: 'a1',
        attributes: { name: 'A', bundleId: 'com.a' },
        relationships: {
          appStoreVersions: {
            data: [
              { type: 'appStoreVersions', id: 'v1' },
              { type: 'appStoreVersions', id: 'v2' },
              { type: 'appStoreVersions', id: 'v3' },
            ],
          },
        },
      },
      context,
    )
    const version = (id: string, platform: string, versionString: string, createdDate: string) => ({
      type: 'appStoreVersions',
      id,
      attributes: {
        platform,
        versionString,
        appVersionState: 'READY_FOR_DISTRIBUTION',
        createdDate,
      },
    })
    const included = new Included(
      [
        version('v1', 'MAC_OS', '1.0', '2024-01-01T00:00:00Z'),
        version('v2', 'IOS', '1.0', '2024-01-01T00:00:00Z'),
        version('v3', 'IOS', '1.1', '2024-06-01T00:00:00Z'),
      ],
      context,
    )
    const summary = toAppSummary(app, included)
    expect(summary.platforms).toEqual(['IOS', 'MAC_OS'])
    expect(summary.latestVersions.map((each) => each.versionString)).toEqual(['1.1', '1.0'])
  })
})

describe('groupVersions', () => {
  it('packs counted versions into page-sized groups, biggest first, and skips empty ones', () => {
    const groups = groupVersions(
      [
        { id: 'a', builds: 150 },
        { id: 'b', builds: 60 },
        { id: 'c', builds: 50 },
        { id: 'd', builds: 0 },
        { id: 'e', builds: 250 },
      ],
      4,
    )
    expect(groups).toEqual([['e'], ['a', 'c'], ['b']])
  })

  it('spreads versions without a count over parallel groups', () => {
    const groups = groupVersions(
      Array.from({ length: 10 }, (_, index) => ({ id: `v${index}`, builds: null })),
      4,
    )
    expect(groups).toHaveLength(4)
    expect(groups.flat().sort()).toEqual(
      Array.from({ length: 10 }, (_, index) => `v${index}`).sort(),
    )
  })

  it('keeps each group to 40 versions so URLs stay short', () => {
    const groups = groupVersions(
      Array.from({ length: 100 }, (_, index) => ({ id: `v${index}`, builds: 1 })),
      4,
    )
    expect(groups.every((group) => group.length <= 40)).toBe(true)
    expect(groups.flat()).toHaveLength(100)
  })
})
