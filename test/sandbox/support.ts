/**
 * Test helpers for talking to the sandbox: `signToken` makes App Store Connect tokens with jose
 * (and, on request, every way of getting them wrong), `ApiClient` sends requests and checks each
 * JSON response against Apple's spec (validateResponse) before handing it back.
 */
import { SignJWT, UnsecuredJWT, importPKCS8 } from 'jose'
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type { Sandbox, SandboxKey } from './index'
import { validateResponse } from './openapi'

export interface TokenOptions {
  /** Sandbox clock in ms; default Date.now(). */
  now?: number
  /** Seconds added to now for `iat` (negative: back-dated). */
  iatOffset?: number
  /** `exp - iat` in seconds; default 1200. */
  lifetime?: number
  /** Claims to set or replace. */
  claims?: Record<string, unknown>
  /** Claims to leave out: 'iss', 'sub', 'aud', 'iat', 'exp'. */
  omitClaims?: string[]
  /** Header fields to set or replace; `undefined` removes one. */
  header?: Record<string, unknown>
  /** Sign with this key instead of the key's own (a P-384 key for ES384). */
  signingKey?: KeyObject
  /** Default ES256; HS256 signs with a shared secret; `none` leaves the token unsigned. */
  algorithm?: 'ES256' | 'ES384' | 'HS256' | 'none'
}

export async function signToken(key: SandboxKey, options: TokenOptions = {}): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000) + (options.iatOffset ?? 0)
  const payload: Record<string, unknown> = {
    ...(key.type === 'team' ? { iss: key.issuerId } : { sub: 'user' }),
    aud: 'appstoreconnect-v1',
    iat,
    exp: iat + (options.lifetime ?? 1200),
    ...options.claims,
  }
  for (const claim of options.omitClaims ?? []) delete payload[claim]
  if (options.algorithm === 'none') return new UnsecuredJWT(payload).encode()
  const header: Record<string, unknown> = { alg: 'ES256', kid: key.keyId, typ: 'JWT' }
  for (const [name, value] of Object.entries(options.header ?? {})) {
    if (value === undefined) delete header[name]
    else header[name] = value
  }
  const jwt = new SignJWT(payload).setProtectedHeader({
    ...header,
    alg: options.algorithm ?? 'ES256',
  })
  if (options.algorithm === 'HS256') return jwt.sign(new TextEncoder().encode('shared secret'))
  return jwt.sign(options.signingKey ?? (await importPKCS8(key.privateKeyPem, 'ES256')))
}

/** True when `pem` is a P-256 private key in PKCS#8 PEM, byte for byte as Apple's .p8 files are. */
export function isP256Pkcs8Pem(pem: string): boolean {
  const key = createPrivateKey(pem)
  return (
    key.asymmetricKeyType === 'ec' &&
    key.asymmetricKeyDetails?.namedCurve === 'prime256v1' &&
    key.export({ type: 'pkcs8', format: 'pem' }) === pem
  )
}

/** A P-256 key the sandbox has never seen. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey
}

export interface ApiResponse {
  status: number
  headers: Headers
  text: string
  /** The parsed JSON body (undefined when the body is not JSON). */
  body: unknown
  /** `body` typed loosely for assertions. */
  json: JsonDocument
}

export interface JsonResource {
  type: string
  id: string
  attributes?: Record<string, unknown>
  relationships?: Record<
    string,
    { data?: unknown; links?: Record<string, string>; meta?: { paging: { total: number } } }
  >
  links?: { self: string }
}

export interface JsonDocument {
  data: JsonResource[] & JsonResource
  included?: JsonResource[]
  links: { self: string; next?: string }
  meta?: { paging: { total: number; limit: number } }
  errors?: { id: string; status: string; code: string; title: string; detail: string }[]
}

export interface RequestOptions {
  key?: SandboxKey
  /** Use this Authorization header value instead of a token for `key`; null sends none. */
  authorization?: string | null
  method?: string
}

export class ApiClient {
  private readonly tokens = new Map<string, string>()

  constructor(
    private readonly sandbox: Sandbox,
    private readonly now: () => number = Date.now,
  ) {}

  async token(key: SandboxKey): Promise<string> {
    const cached = this.tokens.get(key.keyId)
    if (cached) return cached
    const token = await signToken(key, { now: this.now() })
    this.tokens.set(key.keyId, token)
    return token
  }

  forgetTokens(): void {
    this.tokens.clear()
  }

  /** Sends a request to a path (or a full URL from `links.next`) and validates the answer. */
  async request(pathOrUrl: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.sandbox.url}${pathOrUrl}`
    const method = options.method ?? 'GET'
    const headers: Record<string, string> = {}
    if (options.authorization !== undefined) {
      if (options.authorization !== null) headers.Authorization = options.authorization
    } else if (options.key) {
      headers.Authorization = `Bearer ${await this.token(options.key)}`
    }
    const response = await fetch(url, { method, headers })
    const text = await response.text()
    let body: unknown
    if (response.headers.get('content-type') === 'application/json') {
      body = JSON.parse(text) as unknown
      const result = validateResponse(method, url, response.status, body)
      if (!result.valid) {
        throw new Error(
          `${method} ${url} → ${response.status} breaks Apple's spec:\n${result.errors.slice(0, 10).join('\n')}`,
        )
      }
    }
    return {
      status: response.status,
      headers: response.headers,
      text,
      body,
      json: body as JsonDocument,
    }
  }

  get(path: string, key: SandboxKey): Promise<ApiResponse> {
    return this.request(path, { key })
  }

  /** Follows `links.next` from a first page to the end; every page is validated. */
  async all(
    path: string,
    key: SandboxKey,
  ): Promise<{ data: JsonResource[]; included: JsonResource[]; pages: ApiResponse[] }> {
    const pages: ApiResponse[] = []
    let next: string | undefined = path
    while (next) {
      const page = await this.get(next, key)
      if (page.status !== 200) throw new Error(`${next} answered ${page.status}: ${page.text}`)
      pages.push(page)
      next = page.json.links.next
    }
    return {
      data: pages.flatMap((page) => page.json.data),
      included: pages.flatMap((page) => page.json.included ?? []),
      pages,
    }
  }
}

/** The single error of an Apple error response. */
export function appleError(response: ApiResponse): {
  status: string
  code: string
  detail: string
} {
  const errors = response.json.errors ?? []
  if (errors.length !== 1 || !errors[0]) throw new Error(`expected one error: ${response.text}`)
  return errors[0]
}

export const NOT_AUTHORIZED_ERROR = {
  status: '401',
  code: 'NOT_AUTHORIZED',
  title: 'Authentication credentials are missing or invalid.',
  detail:
    'Provide a properly configured and signed bearer token, and make sure that it has not expired. Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens',
}
