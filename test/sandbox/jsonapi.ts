/**
 * Answers a GET the way Apple's JSON:API does, for any path the spec defines on a stored type:
 * `/v1/{type}`, `/v1/{type}/{id}`, `/v1/{type}/{id}/{relationship}` and
 * `/v1/{type}/{id}/relationships/{relationship}`. Query parameters have already been checked against
 * the operation; this applies `filter[...]`, `exists[...]`, `sort`, `fields[...]`, `include`,
 * `limit[...]`, `limit` and `cursor`, and sees only what the key's scope lets it see.
 *
 * Choices where Apple documents nothing: collections default to 20 resources, included to-many
 * relationships to 10; without `sort`, resources come in creation order (oldest first); `version`
 * and other strings sort numerically by their digit runs (`9` before `10`); a relationship sort
 * (`preReleaseVersion`) orders by the related resource's `version`.
 */
import { parameterError, pathNotFound, resourceNotFound } from './apple-errors'
import type { ErrorReply } from './apple-errors'
import { isStoredType, typeInfo } from './model'
import type { RelationshipInfo, Row, Store, TypeInfo } from './model'
import type { OperationMatch } from './openapi'

export interface Scope {
  teamId: string
  /** Apps an individual key's user may see; null when the key sees every app of its team. */
  visibleApps: ReadonlySet<string> | null
}

export interface QueryContext {
  store: Store
  scope: Scope
  /** The sandbox's origin, `http://127.0.0.1:<port>`, for links. */
  base: string
  url: URL
  match: OperationMatch
  /** Sorted, scope-filtered row lists, reused across requests. */
  cache: Map<string, readonly Row[]>
}

export interface Reply {
  status: number
  body: unknown
}

export const DEFAULT_LIMIT = 20
export const DEFAULT_INCLUDED_LIMIT = 10
const CACHE_ENTRIES = 500

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

type Route =
  | { kind: 'collection'; type: string }
  | { kind: 'instance'; type: string; id: string }
  | { kind: 'related'; type: string; id: string; relationship: RelationshipInfo; target: string }
  | { kind: 'linkage'; type: string; id: string; relationship: RelationshipInfo; target: string }

function route(match: OperationMatch): Route | null {
  const [version, type, id, fourth, fifth, ...rest] = match.template.split('/').slice(1)
  if (version !== 'v1' || !type || !isStoredType(type) || rest.length > 0) return null
  if (id === undefined) return { kind: 'collection', type }
  const idValue = match.pathParams.id
  if (id !== '{id}' || idValue === undefined) return null
  if (fourth === undefined) return { kind: 'instance', type, id: idValue }
  const name = fourth === 'relationships' ? fifth : fifth === undefined ? fourth : undefined
  const relationship = name ? typeInfo(type).relationships.get(name) : undefined
  if (!relationship?.target || !isStoredType(relationship.target)) return null
  const kind = fourth === 'relationships' ? 'linkage' : 'related'
  return { kind, type, id: idValue, relationship, target: relationship.target }
}

/** Whether the sandbox answers this spec path (any other path answers 404). */
export function isServed(match: OperationMatch): boolean {
  return route(match) !== null
}

function visible(row: Row, scope: Scope): boolean {
  if (row.teamId !== scope.teamId) return false
  return row.appId === null || scope.visibleApps === null || scope.visibleApps.has(row.appId)
}

function list(query: URLSearchParams, name: string): string[] | null {
  const value = query.get(name)
  return value === null ? null : value.split(',')
}

class Shape {
  readonly fields = new Map<string, Set<string>>()
  readonly include: Set<string>
  readonly limits = new Map<string, number>()

  constructor(query: URLSearchParams) {
    for (const [name, value] of query) {
      const fields = /^fields\[(.+)\]$/.exec(name)
      if (fields?.[1]) this.fields.set(fields[1], new Set(value.split(',')))
      const limit = /^limit\[(.+)\]$/.exec(name)
      if (limit?.[1]) this.limits.set(limit[1], Number(value))
    }
    this.include = new Set(list(query, 'include') ?? [])
  }

  allows(type: string, field: string): boolean {
    const fields = this.fields.get(type)
    return !fields || fields.has(field)
  }
}

class Document {
  private readonly included = new Map<string, unknown>()
  private readonly primary = new Set<string>()

  constructor(
    private readonly context: QueryContext,
    private readonly shape: Shape,
  ) {}

  markPrimary(rows: readonly Row[]): void {
    for (const row of rows) this.primary.add(`${row.type}:${row.id}`)
  }

  resource(row: Row, withIncludes: boolean): Record<string, unknown> {
    const { base, store, scope } = this.context
    const info = typeInfo(row.type)
    const self = `${base}/v1/${row.type}/${row.id}`
    const resource: Record<string, unknown> = { type: row.type, id: row.id }
    const attributes: Record<string, unknown> = {}
    for (const name of info.attributes) {
      if (name in row.attributes && this.shape.allows(row.type, name)) {
        attributes[name] = row.attributes[name]
      }
    }
    if (Object.keys(attributes).length > 0) resource.attributes = attributes
    const relationships: Record<string, unknown> = {}
    for (const relationship of info.relationships.values()) {
      if (!this.shape.allows(row.type, relationship.name)) continue
      const related = `${self}/${relationship.name}`
      if (!relationship.target) {
        relationships[relationship.name] = { links: { related } }
        continue
      }
      const entry: Record<string, unknown> = {
        links: { self: `${self}/relationships/${relationship.name}`, related },
      }
      if (withIncludes && this.shape.include.has(relationship.name)) {
        const target = relationship.target
        const rows = isStoredType(target)
          ? store.related(row, relationship.name, target).filter((found) => visible(found, scope))
          : []
        const limit = this.shape.limits.get(relationship.name) ?? DEFAULT_INCLUDED_LIMIT
        const shown = relationship.many ? rows.slice(0, limit) : rows.slice(0, 1)
        for (const found of shown) this.addIncluded(found)
        if (relationship.many) {
          entry.meta = { paging: { total: rows.length, limit } }
          entry.data = shown.map(reference)
        } else {
          entry.data = shown[0] ? reference(shown[0]) : null
        }
      }
      relationships[relationship.name] = entry
    }
    if (Object.keys(relationships).length > 0) resource.relationships = relationships
    resource.links = { self }
    return resource
  }

  private addIncluded(row: Row): void {
    const key = `${row.type}:${row.id}`
    if (this.primary.has(key) || this.included.has(key)) return
    this.included.set(key, this.resource(row, false))
  }

  finish(body: Record<string, unknown>): Record<string, unknown> {
    if (this.included.size > 0) body.included = [...this.included.values()]
    return body
  }
}

function reference(row: Row): { type: string; id: string } {
  return { type: row.type, id: row.id }
}

function sortValue(store: Store, info: TypeInfo, row: Row, field: string): unknown {
  const relationship = info.relationships.get(field)
  if (relationship?.target && !relationship.many) {
    const related = store.related(row, field, relationship.target)[0]
    return related ? (related.attributes.version ?? related.id) : null
  }
  const value = row.attributes[field]
  return info.dateAttributes.has(field) && typeof value === 'string' ? Date.parse(value) : value
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === null || a === undefined) return 1
  if (b === null || b === undefined) return -1
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b)
  return Number(a) - Number(b)
}

function sortRows(store: Store, info: TypeInfo, rows: readonly Row[], sort: string): Row[] {
  const keys = sort.split(',').map((expression) => ({
    descending: expression.startsWith('-'),
    field: expression.replace(/^-/, ''),
  }))
  const decorated = rows.map((row) => ({
    row,
    values: keys.map((key) => sortValue(store, info, row, key.field)),
  }))
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareValues(a.values[i], b.values[i])
      if (order !== 0) return keys[i]?.descending ? -order : order
    }
    return 0
  })
  return decorated.map((entry) => entry.row)
}

function matchesValue(value: unknown, wanted: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((item) => matchesValue(item, wanted))
  if (typeof value === 'string') return wanted.has(value)
  if (typeof value === 'number' || typeof value === 'boolean') return wanted.has(String(value))
  return false
}

type Predicate = (row: Row) => boolean

function filterPredicate(store: Store, info: TypeInfo, path: string, values: string[]): Predicate {
  const wanted = new Set(values)
  if (path === 'id') return (row) => wanted.has(row.id)
  const [head = '', attribute] = path.split('.', 2)
  const relationship = info.relationships.get(head)
  if (relationship) {
    const target = relationship.target
    if (!target || !isStoredType(target)) return () => false
    if (attribute === undefined) {
      return (row) => store.related(row, head, target).some((found) => wanted.has(found.id))
    }
    return (row) =>
      store
        .related(row, head, target)
        .some((found) => matchesValue(found.attributes[attribute], wanted))
  }
  return (row) => matchesValue(row.attributes[path], wanted)
}

function existsPredicate(store: Store, info: TypeInfo, name: string, value: string): Predicate {
  const wanted = value === 'true'
  const relationship = info.relationships.get(name)
  if (relationship?.target && isStoredType(relationship.target)) {
    const target = relationship.target
    return (row) => store.related(row, name, target).length > 0 === wanted
  }
  return (row) => (row.attributes[name] !== null && row.attributes[name] !== undefined) === wanted
}

function predicates(
  store: Store,
  info: TypeInfo,
  query: URLSearchParams,
  skip: string,
): Predicate[] {
  const found: Predicate[] = []
  for (const [name, value] of query) {
    const filter = /^filter\[(.+)\]$/.exec(name)?.[1]
    if (filter && filter !== skip)
      found.push(filterPredicate(store, info, filter, value.split(',')))
    const exists = /^exists\[(.+)\]$/.exec(name)?.[1]
    if (exists) found.push(existsPredicate(store, info, exists, value))
  }
  return found
}

function decodeCursor(cursor: string): number | null {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    const offset = (decoded as { offset?: unknown } | null)?.offset
    if (typeof offset !== 'string' || !/^\d+$/.test(offset)) return null
    return Number(offset)
  } catch {
    return null
  }
}

/** The cursor is opaque to clients; like Apple's, it is base64 of `{"offset":"<n>"}`. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset: String(offset) })).toString('base64url')
}

function cached(context: QueryContext, key: string, make: () => readonly Row[]): readonly Row[] {
  const hit = context.cache.get(key)
  if (hit) return hit
  if (context.cache.size >= CACHE_ENTRIES) context.cache.clear()
  const rows = make()
  context.cache.set(key, rows)
  return rows
}

function scopeKey(scope: Scope): string {
  return `${scope.teamId}:${scope.visibleApps ? [...scope.visibleApps].join(',') : '*'}`
}

/**
 * The type's visible rows, sorted. `filter[app]` is answered here from the per-app index (and
 * reported as handled) so that the 5,000 builds of one app are never scanned for it.
 */
function collectionRows(
  context: QueryContext,
  info: TypeInfo,
): { rows: readonly Row[]; appFilterDone: boolean } {
  const { store, scope, url } = context
  const query = url.searchParams
  const type = info.type
  const appFilter =
    info.relationships.get('app')?.target === 'apps' ? list(query, 'filter[app]') : null
  const apps = appFilter ? [...new Set(appFilter)] : null
  const sort = query.get('sort') ?? ''
  const base = `${type}|${scopeKey(scope)}|${apps?.join(',') ?? '*'}`
  const unsorted = cached(context, base, () => {
    const source = apps ? apps.flatMap((appId) => store.ofApp(type, appId)) : store.all(type)
    return source.filter((row) => visible(row, scope))
  })
  const rows = sort
    ? cached(context, `${base}|${sort}`, () => sortRows(store, info, unsorted, sort))
    : unsorted
  return { rows, appFilterDone: apps !== null }
}

/** The request URL, query encoded as URI syntax requires (`filter%5Bapp%5D=…`). */
function selfLink({ base, url }: QueryContext): string {
  const query = url.searchParams.toString()
  return `${base}${url.pathname}${query ? `?${query}` : ''}`
}

function page(
  context: QueryContext,
  info: TypeInfo,
  rows: readonly Row[],
  appFilterDone: boolean,
): Reply {
  const { url, base } = context
  const query = url.searchParams
  const tests = predicates(context.store, info, query, appFilterDone ? 'app' : '')
  const filtered =
    tests.length === 0 ? rows : rows.filter((row) => tests.every((test) => test(row)))
  const limit = Number(query.get('limit') ?? DEFAULT_LIMIT)
  const cursor = query.get('cursor')
  const offset = cursor === null ? 0 : decodeCursor(cursor)
  if (offset === null) {
    return parameterError(
      'PARAMETER_ERROR.INVALID',
      'cursor',
      `'${cursor}' is not a valid cursor for this request`,
    )
  }
  const shown = filtered.slice(offset, offset + limit)
  const links: Record<string, string> = { self: selfLink(context) }
  if (offset + limit < filtered.length) {
    const rest = new URLSearchParams(query)
    rest.delete('cursor')
    const tail = rest.toString()
    links.next = `${base}${url.pathname}?cursor=${encodeCursor(offset + limit)}${tail ? `&${tail}` : ''}`
  }
  const meta = { paging: { total: filtered.length, limit } }
  if (context.match.template.includes('/relationships/')) {
    return { status: 200, body: { data: shown.map(reference), links, meta } }
  }
  const document = new Document(context, new Shape(query))
  document.markPrimary(shown)
  const data = shown.map((row) => document.resource(row, true))
  return { status: 200, body: document.finish({ data, links, meta }) }
}

function single(context: QueryContext, row: Row): Reply {
  const { url } = context
  const links = { self: selfLink(context) }
  if (context.match.template.includes('/relationships/')) {
    return { status: 200, body: { data: reference(row), links } }
  }
  const document = new Document(context, new Shape(url.searchParams))
  document.markPrimary([row])
  const data = document.resource(row, true)
  return { status: 200, body: document.finish({ data, links }) }
}

export function answerGet(context: QueryContext): Reply | ErrorReply {
  const found = route(context.match)
  if (!found) return pathNotFound(true)
  const { store, scope } = context
  if (found.kind === 'collection') {
    const info = typeInfo(found.type)
    const { rows, appFilterDone } = collectionRows(context, info)
    return page(context, info, rows, appFilterDone)
  }
  const row = store.get(found.type, found.id)
  if (!row || !visible(row, scope)) return resourceNotFound(found.type, found.id)
  if (found.kind === 'instance') return single(context, row)
  const related = store
    .related(row, found.relationship.name, found.target)
    .filter((candidate) => visible(candidate, scope))
  if (found.relationship.many) {
    const info = typeInfo(found.target)
    const sort = context.url.searchParams.get('sort')
    return page(context, info, sort ? sortRows(store, info, related, sort) : related, false)
  }
  const target = related[0]
  return target ? single(context, target) : resourceNotFound(found.target, found.id)
}
