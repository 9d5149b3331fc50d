/**
 * Proves the client's narrow schemas against Apple's spec (3.8.0): every attribute and
 * relationship a schema reads exists on that resource with a compatible type, and every enum
 * value it knows is one the spec lists. Also proves the requests: valid for the spec, and their
 * sparse fieldsets ask for what the schemas require.
 */
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { requests, requestTarget } from '../../../src/main/asc'
import type { AscRequest } from '../../../src/main/asc'
import { collectionDocument, errorDocument, RESOURCE_SCHEMAS } from '../../../src/main/asc/schemas'
import {
  appStoreRequests,
  storeBuildSchema,
  storeVersionSchema,
} from '../../../src/main/browse/apps'
import {
  testFlightGroupSchema,
  testFlightRequests,
  whatToTestSchema,
} from '../../../src/main/browse/builds'
import { loadSpec, validateRequest } from '../../sandbox/openapi'
import type { SchemaObject } from '../../sandbox/openapi'

type Zod = z.ZodType

interface ZodDef {
  type: string
  innerType?: Zod
  options?: Zod[]
  entries?: Record<string, string>
  values?: unknown[]
  in?: Zod
  shape?: Record<string, Zod>
  element?: Zod
  format?: string
  checks?: unknown[]
}

function def(schema: Zod): ZodDef {
  return (schema as unknown as { def: ZodDef }).def
}

function resolve(schema: SchemaObject): SchemaObject {
  if (!schema.$ref) return schema
  const name = schema.$ref.replace('#/components/schemas/', '')
  const found = loadSpec().components.schemas[name]
  if (!found) throw new Error(`no schema ${name}`)
  return resolve(found)
}

function resourceSchema(type: string): SchemaObject {
  const found = Object.values(loadSpec().components.schemas).find((schema) => {
    const props = schema.properties
    return props?.id && props.links && props.type?.enum?.length === 1 && props.type.enum[0] === type
  })
  if (!found) throw new Error(`the spec has no resource of type ${type}`)
  return found
}

/** Problems with reading `spec` through `zod`, at `path`; empty when compatible. */
function compare(zod: Zod, specNode: SchemaObject, path: string): string[] {
  const spec = resolve(specNode)
  const node = def(zod)
  const oneOf = spec.oneOf as SchemaObject[] | undefined
  // Included resources are one of many types: what is read must hold for every one of them.
  if (oneOf) return oneOf.flatMap((option, index) => compare(zod, option, `${path}<${index}>`))
  switch (node.type) {
    case 'optional':
    case 'nullable':
      return compare(node.innerType as Zod, spec, path)
    case 'pipe':
      return compare(node.in as Zod, spec, path)
    case 'union':
      return (node.options ?? []).flatMap((option) => compare(option, spec, path))
    case 'string': {
      if (spec.type !== 'string') return [`${path}: string here, ${spec.type} in the spec`]
      const isDate = (node.checks ?? []).length > 0
      if (isDate && spec.format !== 'date-time')
        return [`${path}: read as a date, not one in the spec`]
      return []
    }
    case 'boolean':
      return spec.type === 'boolean' ? [] : [`${path}: boolean here, ${spec.type} in the spec`]
    case 'number':
      if (node.format === 'safeint' && spec.type !== 'integer')
        return [`${path}: integer here, ${spec.type} in the spec`]
      return spec.type === 'integer' || spec.type === 'number'
        ? []
        : [`${path}: number here, ${spec.type} in the spec`]
    case 'enum': {
      const known = spec.enum ?? []
      const extra = Object.values(node.entries ?? {}).filter((value) => !known.includes(value))
      return extra.length ? [`${path}: ${extra.join(', ')} not in the spec's enum`] : []
    }
    case 'literal':
      return (node.values ?? []).every((value) => (spec.enum ?? []).includes(value))
        ? []
        : [`${path}: ${String(node.values)} not in the spec`]
    case 'array':
      if (spec.type !== 'array' || !spec.items)
        return [`${path}: array here, ${spec.type} in the spec`]
      return compare(node.element as Zod, spec.items, `${path}[]`)
    case 'object':
      return Object.entries(node.shape ?? {}).flatMap(([name, child]) => {
        const property = spec.properties?.[name]
        return property
          ? compare(child, property, `${path}.${name}`)
          : [`${path}.${name}: not in the spec`]
      })
    case 'unknown':
      return []
    default:
      return [`${path}: zod type ${node.type} not handled by this test`]
  }
}

describe("the client's schemas against Apple's spec", () => {
  it.each(Object.entries(RESOURCE_SCHEMAS))(
    '%s reads only what the spec has, with compatible types',
    (type, schema) => {
      const spec = resourceSchema(type)
      expect(compare(schema, spec, type)).toEqual([])
    },
  )

  it('catches a made-up attribute, a wrong type, an unknown enum value and a false date', () => {
    const attributes = resolve(resourceSchema('builds').properties?.attributes ?? {})
    const check = (shape: Record<string, Zod>) => compare(z.object(shape), attributes, 'builds')
    expect(check({ colour: z.string() })).toEqual(['builds.colour: not in the spec'])
    expect(check({ expired: z.string() })).toEqual([
      'builds.expired: string here, boolean in the spec',
    ])
    expect(check({ processingState: z.enum(['VALID', 'SHINY']) })).toEqual([
      "builds.processingState: SHINY not in the spec's enum",
    ])
    expect(check({ version: z.string().refine(Boolean) })).toEqual([
      'builds.version: read as a date, not one in the spec',
    ])
    expect(check({ iconAssetToken: z.object({ templateUrl: z.int() }) })).toEqual([
      'builds.iconAssetToken.templateUrl: integer here, string in the spec',
    ])
  })

  it('reads collection documents and error bodies as the spec shapes them', () => {
    const appsResponse = loadSpec().components.schemas.AppsResponse ?? {}
    expect(compare(collectionDocument, appsResponse, 'AppsResponse')).toEqual([])
    const errorResponse = loadSpec().components.schemas.ErrorResponse ?? {}
    expect(compare(errorDocument, errorResponse, 'ErrorResponse')).toEqual([])
  })
})

function fields(request: AscRequest, type: string): string[] | null {
  const value = request.query.find(([name]) => name === `fields[${type}]`)?.[1]
  return value === undefined ? null : value.split(',')
}

function requiredAttributes(type: ResourceType): string[] {
  const attributes = def(def(RESOURCE_SCHEMAS[type]).shape?.attributes ?? ({} as Zod))
  const shape =
    attributes.type === 'optional' ? def(attributes.innerType as Zod).shape : attributes.shape
  return Object.entries(shape ?? {})
    .filter(([, schema]) => !['optional', 'nullable'].includes(def(schema).type))
    .map(([name]) => name)
}

type ResourceType = keyof typeof RESOURCE_SCHEMAS
const ROW_TYPES: ResourceType[] = ['builds', 'preReleaseVersions', 'buildBetaDetails']

/** Each request, its primary type, and the types the client reads from its answer. */
const ALL_REQUESTS: [string, AscRequest, ResourceType, ResourceType[]][] = [
  ['apps', requests.apps(), 'apps', ['apps', 'appStoreVersions']],
  ['app', requests.app('1234567890'), 'apps', ['apps', 'appStoreVersions']],
  ['builds', requests.builds('1234567890'), 'builds', ROW_TYPES],
  ['currentBuilds', requests.currentBuilds('1234567890'), 'builds', ROW_TYPES],
  ['buildsOfVersions', requests.buildsOfVersions('1234567890', ['a', 'b']), 'builds', ROW_TYPES],
  // The included builds are only counted (the relationship's meta), never read.
  [
    'preReleaseVersions',
    requests.preReleaseVersions('1234567890'),
    'preReleaseVersions',
    ['preReleaseVersions'],
  ],
  ['build', requests.build('b-1'), 'builds', [...ROW_TYPES, 'appStoreVersions']],
  ['probeApps', requests.probeApps(), 'apps', []],
  ['probeTestFlight', requests.probeTestFlight(), 'betaGroups', []],
  ['probeUsers', requests.probeUsers(), 'users', []],
]

describe('the requests', () => {
  it.each(ALL_REQUESTS)('%s is valid for the spec', (_name, request) => {
    expect(validateRequest(request.method, requestTarget(request))).toEqual({
      valid: true,
      errors: [],
    })
  })

  it.each(ALL_REQUESTS)(
    '%s asks, in its sparse fieldsets, for every attribute and relationship it needs',
    (_name, request, primary, read) => {
      for (const type of read) {
        const asked = fields(request, type)
        if (asked) expect(asked).toEqual(expect.arrayContaining(requiredAttributes(type)))
      }
      const include = request.query.find(([name]) => name === 'include')?.[1]?.split(',') ?? []
      const primaryFields = fields(request, primary)
      if (primaryFields) expect(primaryFields).toEqual(expect.arrayContaining(include))
    },
  )

  it('asks for every attribute a build row shows (the detail adds lsMinimumSystemVersion)', () => {
    const attributes = Object.keys(RESOURCE_SCHEMAS.builds.shape.attributes.shape)
    const row = fields(requests.builds('1'), 'builds')
    expect(row).toEqual(
      expect.arrayContaining(attributes.filter((name) => name !== 'lsMinimumSystemVersion')),
    )
    expect(fields(requests.build('1'), 'builds')).toEqual(expect.arrayContaining(attributes))
    expect(fields(requests.buildsOfVersions('1', ['a']), 'builds')).toEqual(row)
    expect(fields(requests.currentBuilds('1'), 'builds')).toEqual(row)
  })

  it('pages at Apple maximum and never above the included limit', () => {
    for (const [, request] of ALL_REQUESTS) {
      for (const [name, value] of request.query) {
        if (name === 'limit') expect(Number(value)).toBeLessThanOrEqual(200)
        if (name.startsWith('limit[')) expect(Number(value)).toBeLessThanOrEqual(50)
      }
    }
    expect(requests.apps().query).toContainEqual(['limit', '200'])
  })
})

/**
 * Resources whose Apple schemas and requests are declared beside their serve step
 * (src/main/browse/*.ts) rather than in the client: held to the spec the same way.
 */
const DECLARED: { name: string; request: AscRequest; type: string; schema: Zod }[] = [
  {
    name: 'App Store versions of an app',
    request: appStoreRequests.versions('1234567890'),
    type: 'appStoreVersions',
    schema: storeVersionSchema,
  },
  {
    name: 'builds of App Store versions',
    request: appStoreRequests.versions('1234567890'),
    type: 'builds',
    schema: storeBuildSchema,
  },
  {
    name: 'TestFlight groups of a build',
    request: testFlightRequests.groups('b-1'),
    type: 'betaGroups',
    schema: testFlightGroupSchema,
  },
  {
    name: 'What to Test of a build',
    request: testFlightRequests.notes('b-1'),
    type: 'betaBuildLocalizations',
    schema: whatToTestSchema,
  },
]

describe('resources declared with their serve step', () => {
  it.each(DECLARED)('$name reads only what the spec has, with compatible types', (item) => {
    expect(compare(item.schema, resourceSchema(item.type), item.type)).toEqual([])
  })

  it.each(DECLARED)('$name is a valid request that asks for what it reads', (item) => {
    expect(validateRequest(item.request.method, requestTarget(item.request))).toEqual({
      valid: true,
      errors: [],
    })
    const asked = fields(item.request, item.type)
    const attributes = def(def(item.schema).shape?.attributes ?? ({} as Zod)).shape ?? {}
    const relationships = def(item.schema).shape?.relationships
    const related = relationships ? (def(def(relationships).innerType as Zod).shape ?? {}) : {}
    const needed = Object.entries(attributes)
      .filter(([, schema]) => !['optional', 'nullable'].includes(def(schema).type))
      .map(([name]) => name)
    if (asked) expect(asked).toEqual(expect.arrayContaining([...needed, ...Object.keys(related)]))
    for (const [name, value] of item.request.query) {
      if (name === 'limit') expect(Number(value)).toBeLessThanOrEqual(200)
      if (name.startsWith('limit[')) expect(Number(value)).toBeLessThanOrEqual(50)
    }
  })
})
