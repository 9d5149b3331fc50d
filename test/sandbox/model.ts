/**
 * The sandbox's resources: rows held in memory, indexed by type, id and owning app, and the shape of
 * each resource type (attributes, relationships and their targets) as Apple's spec describes it.
 */
import { loadSpec } from './openapi'
import type { SchemaObject } from './openapi'

export type RelationshipValue = string | string[] | null

export interface Row {
  type: string
  id: string
  /** The issuer ID of the team that owns the row. */
  teamId: string
  /** The app the row belongs to (an app's own id for apps); null for team-wide rows (users). */
  appId: string | null
  attributes: Record<string, unknown>
  relationships: Record<string, RelationshipValue>
}

export interface RelationshipInfo {
  name: string
  many: boolean
  /** The related resource type; null for links-only relationships (metrics and the like). */
  target: string | null
}

export interface TypeInfo {
  type: string
  attributes: string[]
  dateAttributes: Set<string>
  relationships: Map<string, RelationshipInfo>
}

/** The resource types the sandbox holds; every other type of the spec is answered with 404. */
export const STORED_TYPES = [
  'apps',
  'builds',
  'preReleaseVersions',
  'betaGroups',
  'appStoreVersions',
  'buildBetaDetails',
  'buildIcons',
  'betaTesters',
  'betaBuildLocalizations',
  'users',
] as const

const typeInfos = new Map<string, TypeInfo>()

function resourceSchema(type: string): SchemaObject {
  for (const schema of Object.values(loadSpec().components.schemas)) {
    const props = schema.properties
    if (props?.id && props.links && props.type?.enum?.length === 1 && props.type.enum[0] === type) {
      return schema
    }
  }
  throw new Error(`The spec has no resource schema of type '${type}'`)
}

function relationshipTarget(data: SchemaObject | undefined): string | null {
  const resource = data?.type === 'array' ? data.items : data
  const target = resource?.properties?.type?.enum?.[0]
  return typeof target === 'string' ? target : null
}

export function typeInfo(type: string): TypeInfo {
  const cached = typeInfos.get(type)
  if (cached) return cached
  const schema = resourceSchema(type)
  const attributes = schema.properties?.attributes?.properties ?? {}
  const relationships = new Map<string, RelationshipInfo>()
  for (const [name, relationship] of Object.entries(
    schema.properties?.relationships?.properties ?? {},
  )) {
    const data = relationship.properties?.data
    relationships.set(name, {
      name,
      many: data?.type === 'array',
      target: relationshipTarget(data),
    })
  }
  const info: TypeInfo = {
    type,
    attributes: Object.keys(attributes),
    dateAttributes: new Set(
      Object.entries(attributes)
        .filter(([, attribute]) => attribute.format === 'date-time')
        .map(([name]) => name),
    ),
    relationships,
  }
  typeInfos.set(type, info)
  return info
}

export function isStoredType(type: string): boolean {
  return (STORED_TYPES as readonly string[]).includes(type)
}

export function relatedIds(row: Row, relationship: string): string[] {
  const value = row.relationships[relationship]
  if (value === undefined || value === null) return []
  return typeof value === 'string' ? [value] : value
}

export class Store {
  private readonly rows = new Map<string, Row>()
  private readonly byType = new Map<string, Row[]>()
  private readonly byTypeAndApp = new Map<string, Map<string, Row[]>>()

  add(row: Row): void {
    this.rows.set(`${row.type}:${row.id}`, row)
    const list = this.byType.get(row.type) ?? []
    list.push(row)
    this.byType.set(row.type, list)
    if (row.appId) {
      const apps = this.byTypeAndApp.get(row.type) ?? new Map<string, Row[]>()
      const forApp = apps.get(row.appId) ?? []
      forApp.push(row)
      apps.set(row.appId, forApp)
      this.byTypeAndApp.set(row.type, apps)
    }
  }

  get(type: string, id: string): Row | undefined {
    return this.rows.get(`${type}:${id}`)
  }

  /** Every row of a type, in creation order. */
  all(type: string): readonly Row[] {
    return this.byType.get(type) ?? []
  }

  /** The rows of a type that belong to one app, in creation order. */
  ofApp(type: string, appId: string): readonly Row[] {
    return this.byTypeAndApp.get(type)?.get(appId) ?? []
  }

  related(row: Row, relationship: string, target: string): Row[] {
    const found: Row[] = []
    for (const id of relatedIds(row, relationship)) {
      const related = this.get(target, id)
      if (related) found.push(related)
    }
    return found
  }
}
