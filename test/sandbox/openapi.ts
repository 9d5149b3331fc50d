/**
 * Apple's OpenAPI spec (3.8.0) as a checker, for the sandbox and for any test that talks to it.
 *
 *   validateRequest(method, url)                → { valid, errors }  every query parameter declared by
 *                                                  the operation, enum values valid, integers in bounds
 *   validateResponse(method, url, status, body) → { valid, errors }  body checked against the operation's
 *                                                  response schema for that status (ajv + ajv-formats)
 *
 * `url` may be absolute or a path with a query. The spec is read once per process from
 * `ASC_OPENAPI_SPEC` or `../shared/asc-openapi/app_store_connect_api_3.8.0_openapi.json` next to the
 * repository, and each response schema is compiled on first use and cached.
 *
 * Where Apple and its spec differ, the checks follow Apple and say so here:
 * - `cursor` is accepted on every operation that declares `limit`: Apple's `links.next` carries it,
 *   yet the spec lists it nowhere.
 * - The spec marks nothing `nullable`, but Apple sends `null` for unset attributes (a build's
 *   `usesNonExemptEncryption` before export compliance is answered) and for empty to-one relationship
 *   data. Every attribute of a resource and every to-one relationship `data` therefore also accepts
 *   null, as OpenAPI 3.0 `nullable: true` would; an explicit `nullable: true` is honoured too.
 * - An error status the operation does not declare (404 on collections, 429, 5xx) is checked against
 *   `ErrorResponse`, the shape Apple uses for every error.
 */
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface SchemaObject {
  $ref?: string
  type?: string
  enum?: unknown[]
  items?: SchemaObject
  maximum?: number
  format?: string
  nullable?: boolean
  properties?: Record<string, SchemaObject>
  required?: string[]
  [keyword: string]: unknown
}

export interface SpecParameter {
  name: string
  in: 'query' | 'path' | 'header' | 'cookie'
  required?: boolean
  schema?: SchemaObject
}

export interface SpecOperation {
  operationId: string
  parameters?: SpecParameter[]
  responses: Record<string, { content?: Record<string, { schema?: SchemaObject }> }>
}

type PathItem = Partial<Record<string, SpecOperation>>

export interface Spec {
  info: { version: string }
  paths: Record<string, PathItem>
  components: { schemas: Record<string, SchemaObject> }
}

export interface OperationMatch {
  /** The spec's path template, e.g. `/v1/apps/{id}/builds`. */
  template: string
  pathParams: Record<string, string>
  /** The operation for the method asked, or null when the path exists without it. */
  operation: SpecOperation | null
}

export interface QueryProblem {
  code: 'PARAMETER_ERROR.ILLEGAL' | 'PARAMETER_ERROR.INVALID'
  parameter: string
  detail: string
}

export interface ValidationResult {
  valid: boolean
  errors: string[]
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export function specPath(): string {
  return (
    process.env.ASC_OPENAPI_SPEC ??
    resolve(repoRoot, '../shared/asc-openapi/app_store_connect_api_3.8.0_openapi.json')
  )
}

let loadedSpec: Spec | null = null

export function loadSpec(): Spec {
  if (loadedSpec) return loadedSpec
  let text: string
  try {
    text = readFileSync(specPath(), 'utf8')
  } catch (error) {
    throw new Error(
      `Apple's OpenAPI spec is not at ${specPath()}; set ASC_OPENAPI_SPEC to its path. (${String(error)})`,
    )
  }
  loadedSpec = JSON.parse(text) as Spec
  return loadedSpec
}

interface Route {
  template: string
  segments: string[]
  literals: number
}

let routesBySize: Map<number, Route[]> | null = null

function routes(): Map<number, Route[]> {
  if (routesBySize) return routesBySize
  const table = new Map<number, Route[]>()
  for (const template of Object.keys(loadSpec().paths)) {
    const segments = template.split('/').slice(1)
    const literals = segments.filter((segment) => !segment.startsWith('{')).length
    const list = table.get(segments.length) ?? []
    list.push({ template, segments, literals })
    table.set(segments.length, list)
  }
  // A literal segment beats a parameter: `/v1/apps/{id}/builds` before `/v1/apps/{id}/{x}`.
  for (const list of table.values()) list.sort((a, b) => b.literals - a.literals)
  routesBySize = table
  return table
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export function findOperation(method: string, pathname: string): OperationMatch | null {
  const segments = pathname.split('/').slice(1)
  for (const route of routes().get(segments.length) ?? []) {
    const pathParams: Record<string, string> = {}
    const matches = route.segments.every((part, index) => {
      const actual = segments[index] ?? ''
      if (part.startsWith('{')) {
        pathParams[part.slice(1, -1)] = decodeSegment(actual)
        return actual.length > 0
      }
      return part === actual
    })
    if (matches) {
      const operation = loadSpec().paths[route.template]?.[method.toLowerCase()] ?? null
      return { template: route.template, pathParams, operation }
    }
  }
  return null
}

function queryParameters(operation: SpecOperation): Map<string, SpecParameter> {
  const declared = new Map<string, SpecParameter>()
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'query') declared.set(parameter.name, parameter)
  }
  return declared
}

/** Checks a query against an operation's declared parameters; an empty list means acceptable. */
export function checkQuery(operation: SpecOperation, query: URLSearchParams): QueryProblem[] {
  const declared = queryParameters(operation)
  const problems: QueryProblem[] = []
  const seen = new Set<string>()
  for (const [name, value] of query) {
    const invalid = (detail: string) =>
      problems.push({ code: 'PARAMETER_ERROR.INVALID', parameter: name, detail })
    if (seen.has(name)) {
      invalid(`The parameter '${name}' can only be given once.`)
      continue
    }
    seen.add(name)
    if (name === 'cursor' && declared.has('limit')) {
      if (value === '') invalid(`'' is not a valid cursor for this request`)
      continue
    }
    const parameter = declared.get(name)
    if (!parameter?.schema) {
      problems.push({
        code: 'PARAMETER_ERROR.ILLEGAL',
        parameter: name,
        detail: `The parameter '${name}' can not be used with this request`,
      })
      continue
    }
    const schema = parameter.schema
    if (schema.type === 'array') {
      const allowed = schema.items?.enum
      for (const item of value.split(',')) {
        if (item === '') invalid(`The parameter '${name}' has an empty value.`)
        else if (allowed && !allowed.includes(item)) {
          invalid(`'${item}' is not a valid value for '${name}'. Allowed: ${allowed.join(', ')}`)
        }
      }
    } else if (schema.type === 'integer') {
      const number = /^\d+$/.test(value) ? Number(value) : NaN
      if (!Number.isSafeInteger(number) || number < 1) {
        invalid(`'${value}' is not a valid value for '${name}': expected a positive integer.`)
      } else if (schema.maximum !== undefined && number > schema.maximum) {
        invalid(`'${value}' is not a valid value for '${name}'. The maximum is ${schema.maximum}.`)
      }
    } else if (schema.type === 'boolean') {
      if (value !== 'true' && value !== 'false') {
        invalid(`'${value}' is not a valid value for '${name}': expected true or false.`)
      }
    } else if (value === '') {
      invalid(`The parameter '${name}' has an empty value.`)
    }
  }
  return problems
}

function splitUrl(url: string): URL {
  return new URL(url, 'http://spec.invalid')
}

export function validateRequest(method: string, url: string): ValidationResult {
  const parsed = splitUrl(url)
  const match = findOperation(method, parsed.pathname)
  if (!match?.operation) {
    return { valid: false, errors: [`no operation ${method.toUpperCase()} ${parsed.pathname}`] }
  }
  const errors = checkQuery(match.operation, parsed.searchParams).map(
    (problem) => `${problem.code} ${problem.parameter}: ${problem.detail}`,
  )
  return { valid: errors.length === 0, errors }
}

const refPrefix = '#/components/schemas/'

/** OpenAPI 3.0 → JSON Schema for ajv: `nullable` becomes `anyOf [..., null]` (see header). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (node === null || typeof node !== 'object') return node
  const converted: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'nullable') converted[key] = toJsonSchema(value)
  }
  return (node as SchemaObject).nullable === true ? orNull(converted) : converted
}

function orNull(schema: unknown): SchemaObject {
  return { anyOf: [schema, { type: 'null' }] }
}

function allowApplesNulls(schema: SchemaObject): void {
  const attributes = schema.properties?.attributes?.properties
  if (attributes) {
    for (const name of Object.keys(attributes)) attributes[name] = orNull(attributes[name])
  }
  for (const relationship of Object.values(schema.properties?.relationships?.properties ?? {})) {
    const data = relationship.properties?.data
    if (data && relationship.properties && data.type === 'object') {
      relationship.properties.data = orNull(data)
    }
  }
}

let ajv: Ajv | null = null
const validators = new Map<string, ValidateFunction>()

function validatorFor(schemaName: string): ValidateFunction {
  const cached = validators.get(schemaName)
  if (cached) return cached
  if (!ajv) {
    const schemas = toJsonSchema(loadSpec().components.schemas) as Record<string, SchemaObject>
    for (const schema of Object.values(schemas)) allowApplesNulls(schema)
    ajv = new Ajv({ strict: false, allErrors: true })
    addFormats(ajv)
    // Formats the spec uses that JSON Schema does not define: not checked.
    ajv.addFormat('number', true)
    ajv.addFormat('binary', true)
    ajv.addSchema({ $id: 'asc', components: { schemas } })
  }
  const validate = ajv.compile({ $ref: `asc${refPrefix}${schemaName}` })
  validators.set(schemaName, validate)
  return validate
}

function responseSchemaName(operation: SpecOperation | null, status: number): string | null {
  const response = operation?.responses[String(status)] ?? operation?.responses.default
  const ref = response?.content?.['application/json']?.schema?.$ref
  if (ref?.startsWith(refPrefix)) return ref.slice(refPrefix.length)
  return status >= 400 ? 'ErrorResponse' : null
}

export function validateResponse(
  method: string,
  url: string,
  status: number,
  body: unknown,
): ValidationResult {
  const parsed = splitUrl(url)
  const match = findOperation(method, parsed.pathname)
  const schemaName = responseSchemaName(match?.operation ?? null, status)
  if (!schemaName) {
    return {
      valid: false,
      errors: [
        `no JSON response ${status} declared for ${method.toUpperCase()} ${parsed.pathname}`,
      ],
    }
  }
  const validate = validatorFor(schemaName)
  if (validate(body)) return { valid: true, errors: [] }
  const errors = (validate.errors ?? []).map(
    (error) => `${schemaName}${error.instancePath} ${error.message ?? 'is invalid'}`,
  )
  return { valid: false, errors }
}
