/**
 * Apple's OpenAPI spec (3.8.0) as a checker, for the sandbox and for any test that talks to it.
 *
 *   validateRequest(method, url)                → { valid, errors }  every query parameter declared by
 *                                                  the operation, required ones present, each value
 *                                                  valid for its parameter's schema (ajv)
 *   validateResponse(method, url, status, body) → { valid, errors }  body checked against the operation's
 *                                                  response schema for that status (ajv + ajv-formats)
 *
 * `url` may be absolute or a path with a query. The spec is read once per process from
 * `ASC_OPENAPI_SPEC` (plain or gzipped JSON) or else the copy vendored in `spec/` (see its
 * SOURCE.md), and each response schema is compiled on first use and cached.
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
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

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
  style?: string
  explode?: boolean
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

export interface ValidationResult {
  valid: boolean
  errors: string[]
}

/** Apple's spec 3.8.0, gzipped, as spec/SOURCE.md describes. */
export const VENDORED_SPEC = fileURLToPath(
  new URL('./spec/app_store_connect_api_3.8.0_openapi.json.gz', import.meta.url),
)

export function specPath(): string {
  return process.env.ASC_OPENAPI_SPEC || VENDORED_SPEC
}

/** The spec's JSON text from a file, gzipped (by its magic bytes) or not. */
export function readSpecText(path: string): string {
  const bytes = readFileSync(path)
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b
  return (gzipped ? gunzipSync(bytes) : bytes).toString('utf8')
}

let loadedSpec: Spec | null = null

export function loadSpec(): Spec {
  if (loadedSpec) return loadedSpec
  let text: string
  try {
    text = readSpecText(specPath())
  } catch (error) {
    throw new Error(
      `Apple's OpenAPI spec could not be read at ${specPath()}; set ASC_OPENAPI_SPEC to a copy. (${String(error)})`,
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

function splitUrl(url: string): URL {
  return new URL(url, 'http://spec.invalid')
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
const parameterValidators = new WeakMap<SchemaObject, ValidateFunction>()

/** One ajv for every check, holding Apple's component schemas under `asc#/components/schemas/`. */
function specAjv(): Ajv {
  if (ajv) return ajv
  const schemas = toJsonSchema(loadSpec().components.schemas) as Record<string, SchemaObject>
  for (const schema of Object.values(schemas)) allowApplesNulls(schema)
  ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  // Formats the spec uses that JSON Schema does not define: not checked.
  ajv.addFormat('number', true)
  ajv.addFormat('binary', true)
  ajv.addSchema({ $id: 'asc', components: { schemas } })
  return ajv
}

function validatorFor(schemaName: string): ValidateFunction {
  const cached = validators.get(schemaName)
  if (cached) return cached
  const validate = specAjv().compile({ $ref: `asc${refPrefix}${schemaName}` })
  validators.set(schemaName, validate)
  return validate
}

/** A parameter's own `schema`, compiled as is (a `$ref` in it points into the spec's components). */
function parameterValidator(schema: SchemaObject): ValidateFunction {
  const cached = parameterValidators.get(schema)
  if (cached) return cached
  const json = JSON.stringify(toJsonSchema(schema)).replaceAll(`"${refPrefix}`, `"asc${refPrefix}`)
  const validate = specAjv().compile(JSON.parse(json) as SchemaObject)
  parameterValidators.set(schema, validate)
  return validate
}

/** One serialized value back to JSON: numbers and booleans only when written as such. */
function scalarValue(schema: SchemaObject | undefined, text: string): unknown {
  if (schema?.type === 'integer') return /^-?\d+$/.test(text) ? Number(text) : text
  if (schema?.type === 'number') {
    return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text
  }
  if (schema?.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text
  return text
}

/**
 * The value of a parameter given `texts` (every occurrence in the URL), deserialized as OpenAPI 3.0
 * serializes it: `form` (the query default) explodes arrays into one pair per item unless
 * `explode: false`, which sends one comma-separated pair; `simple` (the path default) separates
 * items by commas. A scalar, or an unexploded array, given more than once is an error.
 */
function parameterValue(parameter: SpecParameter, texts: string[]): { value: unknown } | string {
  const schema = parameter.schema
  const style = parameter.style ?? (parameter.in === 'query' ? 'form' : 'simple')
  const explode = parameter.explode ?? style === 'form'
  if (schema?.type === 'array') {
    const items = schema.items
    if (explode && style === 'form') return { value: texts.map((text) => scalarValue(items, text)) }
    if (texts.length > 1) return `given ${texts.length} times; it takes one comma-separated value`
    return { value: (texts[0] ?? '').split(',').map((text) => scalarValue(items, text)) }
  }
  if (texts.length > 1) return `given ${texts.length} times; it takes one value`
  return { value: scalarValue(schema, texts[0] ?? '') }
}

/**
 * Checks a request against its operation's parameters in the spec, and nothing else: every query
 * parameter must be declared (`cursor` aside, see the header), every `required` one present, and
 * each value, deserialized per the parameter's `style` and `explode`, must match its `schema`
 * (ajv: types, `enum`, `maximum`, …). It shares no code with the sandbox's own rules (query.ts).
 */
export function validateRequest(method: string, url: string): ValidationResult {
  const parsed = splitUrl(url)
  const match = findOperation(method, parsed.pathname)
  if (!match?.operation) {
    return { valid: false, errors: [`no operation ${method.toUpperCase()} ${parsed.pathname}`] }
  }
  const { operation } = match
  const parameters = operation.parameters ?? []
  const query = new Map<string, string[]>()
  for (const [name, text] of parsed.searchParams) {
    query.set(name, [...(query.get(name) ?? []), text])
  }
  const declared = (name: string) =>
    parameters.some((parameter) => parameter.in === 'query' && parameter.name === name)
  const errors: string[] = []
  for (const name of query.keys()) {
    if (!declared(name) && !(name === 'cursor' && declared('limit'))) {
      errors.push(`query ${name}: not a parameter of ${operation.operationId}`)
    }
  }
  for (const parameter of parameters) {
    if (parameter.in !== 'query' && parameter.in !== 'path') continue
    const path = match.pathParams[parameter.name]
    const texts = parameter.in === 'query' ? query.get(parameter.name) : path && [path]
    const label = `${parameter.in} ${parameter.name}`
    if (!texts) {
      if (parameter.required) errors.push(`${label}: required, missing`)
      continue
    }
    if (!parameter.schema) continue
    const given = parameterValue(parameter, texts)
    if (typeof given === 'string') {
      errors.push(`${label}: ${given}`)
      continue
    }
    const validate = parameterValidator(parameter.schema)
    if (validate(given.value)) continue
    for (const error of validate.errors ?? []) {
      const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
      errors.push(
        `${label}=${texts.join('&')}: ${error.instancePath || 'value'} ${error.message ?? 'is invalid'}` +
          (allowed ? ` (${allowed.join(', ')})` : ''),
      )
    }
  }
  return { valid: errors.length === 0, errors }
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
