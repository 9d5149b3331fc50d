/**
 * Bad input to any handler: every channel of the contract, through the real dispatcher and the
 * real handlers (createAscent on fakes), gets a typed error for garbage, never `internal`, never a
 * throw, and main keeps answering.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createAscent, type Ascent } from '../../src/main/ascent'
import { createDispatcher, type Dispatch } from '../../src/main/ipc'
import type { Logger } from '../../src/main/log'
import type { Platform } from '../../src/main/platform'
import { channels, operations, type Channel } from '../../src/shared/contract'
import { IpcErrorCode, type Result } from '../../src/shared/result'
import {
  backgroundPlatform,
  createFakeClock,
  createFakeTimer,
  createMemoryClipboard,
  createMemorySecretStore,
} from './fakes'

const ORIGIN = 'app://ascent'
const top = { url: `${ORIGIN}/`, isTopFrame: true }
const HUGE = 'x'.repeat(2_000_000)
const TYPED_CODE = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/

/**
 * A value of the right shape whose ids name nothing main knows: it reaches the handler. For a
 * union (a resource read), the option `option` picks.
 */
function plausible(schema: z.ZodType, option = 0): unknown {
  if (schema instanceof z.ZodUndefined) return undefined
  if (schema instanceof z.ZodString) return 'unknown-id'
  if (schema instanceof z.ZodEnum) return schema.options[0]
  if (schema instanceof z.ZodLiteral) return schema.value
  if (schema instanceof z.ZodBoolean) return false
  if (schema instanceof z.ZodDiscriminatedUnion) {
    return plausible(schema.options[option] as z.ZodType)
  }
  if (schema instanceof z.ZodNullable) return null
  if (schema instanceof z.ZodOptional) return undefined
  if (schema instanceof z.ZodDefault) return plausible(schema.def.innerType as z.ZodType)
  if (schema instanceof z.ZodNumber) return schema.minValue ?? 0
  if (schema instanceof z.ZodArray) return [plausible(schema.element as z.ZodType)]
  if (schema instanceof z.ZodObject) {
    const fields = Object.entries<z.ZodType>(schema.shape)
    // A request of optional fields only (a settings change) must name one of them to be valid.
    const [first] = fields
    if (first && fields.every(([, field]) => field instanceof z.ZodOptional)) {
      const [name, field] = first
      return { [name]: plausible((field as z.ZodOptional<z.ZodType>).unwrap()) }
    }
    return Object.fromEntries(fields.map(([key, field]) => [key, plausible(field)]))
  }
  throw new Error(`No plausible value for a ${schema.def.type} field: teach plausible() about it.`)
}

/** The options of a union, each its own shape of request; one for anything else. */
function optionsOf(channel: Channel): number {
  const schema = operations[channel].request as z.ZodType
  return schema instanceof z.ZodDiscriminatedUnion ? schema.options.length : 1
}

function fieldsOf(channel: Channel): string[] {
  const schema = operations[channel].request as z.ZodType
  const object = schema instanceof z.ZodDiscriminatedUnion ? schema.options[0] : schema
  return object instanceof z.ZodObject ? Object.keys(object.shape) : []
}

/** Garbage for one channel: wrong whole values, and its own fields with wrong values. */
function garbageFor(channel: Channel): { label: string; request: unknown }[] {
  const fields = fieldsOf(channel)
  const withEveryField = (value: unknown) =>
    Object.fromEntries(fields.map((field) => [field, value]))
  const shapes: { label: string; request: unknown }[] = [
    { label: 'null', request: null },
    { label: 'a number', request: 42 },
    { label: 'NaN', request: Number.NaN },
    { label: 'a string', request: 'teams' },
    { label: 'a huge string', request: HUGE },
    { label: 'an array', request: [plausible(operations[channel].request as z.ZodType)] },
    { label: 'an empty object', request: {} },
    { label: 'only unknown keys', request: JSON.parse('{"evil":true,"__proto__":{"admin":true}}') },
    {
      label: 'the right fields plus an extra key',
      request: { ...(plausible(operations[channel].request as z.ZodType) as object), extra: 1 },
    },
    { label: 'every field a number', request: withEveryField(7) },
    { label: 'every field an object', request: withEveryField({ nested: ['x'] }) },
    { label: 'every field a huge string', request: withEveryField(HUGE) },
  ]
  for (const field of fields) {
    const valid = plausible(operations[channel].request as z.ZodType) as Record<string, unknown>
    shapes.push(
      { label: `"${field}" a boolean`, request: { ...valid, [field]: true } },
      { label: `"${field}" a huge string`, request: { ...valid, [field]: HUGE } },
    )
  }
  return shapes
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = []
  return {
    errors,
    info: () => undefined,
    warn: () => undefined,
    error: (message, details) => errors.push(`${message} ${JSON.stringify(details ?? {})}`),
  }
}

let ascent: Ascent
let dispatch: Dispatch
let dataDir: string
const log = recordingLogger()
const fetchCalls: string[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ascent-handlers-input-'))
  const platform: Platform = {
    secrets: createMemorySecretStore(),
    clipboard: createMemoryClipboard(),
    dialog: {
      chooseKeyFile: () => Promise.resolve(null),
      chooseSavePath: () => Promise.resolve(null),
    },
    shell: { openExternal: () => Promise.resolve() },
    fetch: (input) => {
      fetchCalls.push(input instanceof Request ? input.url : String(input))
      return Promise.reject(new TypeError('fetch failed'))
    },
    now: createFakeClock().now,
    dataDir,
    apiBase: 'http://127.0.0.1:9',
    appVersion: '0.0.0-test',
    notify: () => undefined,
    log,
    userPresence: { confirm: () => Promise.resolve('unavailable') },
    timer: createFakeTimer(),
    homeDir: dataDir,
    ...backgroundPlatform(),
  }
  ascent = createAscent(platform, {
    asc: { timeoutMs: 1_000, retry: { baseDelayMs: 1, maxDelayMs: 2 } },
  })
  dispatch = createDispatcher({ trustedOrigin: ORIGIN, handlers: ascent.handlers, log })
})

afterAll(async () => {
  await ascent.dispose()
  await rm(dataDir, { recursive: true, force: true })
})

async function ask(channel: Channel, request: unknown): Promise<Result<unknown>> {
  let result: Result<unknown> | undefined
  await expect(
    (async () => {
      result = await dispatch(channel, request, top)
    })(),
  ).resolves.toBeUndefined()
  return result as Result<unknown>
}

describe('garbage to every channel', () => {
  it('covers the whole contract', () => {
    expect(channels.length).toBe(Object.keys(ascent.handlers).length)
    expect(channels.length).toBeGreaterThanOrEqual(20)
  })

  for (const channel of channels) {
    it(`${channel} answers every garbage request with a typed error`, async () => {
      for (const { label, request } of garbageFor(channel)) {
        const result = await ask(channel, request)
        expect(result.ok, `${channel} with ${label}`).toBe(false)
        if (result.ok) continue
        expect(result.error.code, `${channel} with ${label}`).not.toBe(IpcErrorCode.internal)
        expect(result.error.code, `${channel} with ${label}`).toMatch(TYPED_CODE)
        expect(result.error.message.trim(), `${channel} with ${label}`).not.toBe('')
        expect(result.error.message.length, `${channel} with ${label}`).toBeLessThan(500)
      }
    })
  }
})

describe('well-formed requests naming nothing main knows', () => {
  for (const channel of channels) {
    it(`${channel} reaches its handler and answers without an internal error`, async () => {
      for (let option = 0; option < optionsOf(channel); option++) {
        const request = plausible(operations[channel].request as z.ZodType, option)
        const result = await ask(channel, request)
        if (!result.ok) {
          const about = `${channel} with ${JSON.stringify(request)}`
          expect(result.error.code, about).not.toBe(IpcErrorCode.invalidRequest)
          expect(result.error.code, about).not.toBe(IpcErrorCode.internal)
          expect(result.error.code, about).toMatch(TYPED_CODE)
          expect(result.error.message.trim(), about).not.toBe('')
        }
      }
    })
  }

  it('logged no handler failure and never reached the network', () => {
    expect(log.errors).toEqual([])
    expect(fetchCalls).toEqual([])
  })
})

describe('after all that', () => {
  it('main still answers a good request', async () => {
    await expect(ask('app:info', undefined)).resolves.toMatchObject({
      ok: true,
      value: { version: '0.0.0-test' },
    })
    await expect(ask('teams:list', undefined)).resolves.toMatchObject({
      ok: true,
      value: { teams: [] },
    })
  })
})
