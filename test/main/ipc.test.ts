import { describe, expect, it, vi } from 'vitest'
import { AppError } from '../../src/main/errors'
import { createDispatcher, isTrustedSender, senderOfFrame, type Handlers } from '../../src/main/ipc'
import { createLogger, type Logger } from '../../src/main/log'
import { generateAppleKey } from './fakes'

const ORIGIN = 'app://ascent'
const top = { url: `${ORIGIN}/`, isTopFrame: true }

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const record = (message: string, details?: Record<string, unknown>) =>
    lines.push(`${message} ${JSON.stringify(details ?? {})}`)
  return { lines, info: record, warn: record, error: record }
}

function dispatcherWith(overrides: Partial<Handlers>, log: Logger = recordingLogger()) {
  const unexpected = () => {
    throw new Error('not expected in this test')
  }
  const handlers = new Proxy(overrides, {
    get: (target, channel: string) => target[channel as keyof Handlers] ?? unexpected,
  }) as Handlers
  return createDispatcher({ trustedOrigin: ORIGIN, handlers, log })
}

describe('isTrustedSender', () => {
  it('accepts only the top frame at the app origin', () => {
    expect(isTrustedSender(top, ORIGIN)).toBe(true)
    expect(isTrustedSender({ url: `${ORIGIN}/index.html#x`, isTopFrame: true }, ORIGIN)).toBe(true)
    expect(isTrustedSender({ url: `${ORIGIN}/`, isTopFrame: false }, ORIGIN)).toBe(false)
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true }, ORIGIN)).toBe(false)
    expect(isTrustedSender({ url: 'app://ascent.evil/', isTopFrame: true }, ORIGIN)).toBe(false)
    expect(isTrustedSender({ url: 'file:///index.html', isTopFrame: true }, ORIGIN)).toBe(false)
    expect(isTrustedSender({ url: '', isTopFrame: true }, ORIGIN)).toBe(false)
  })
})

describe('senderOfFrame', () => {
  it('trusts a frame with no parent at the app origin, and nothing else', () => {
    const topFrame = { url: `${ORIGIN}/`, parent: null }
    expect(senderOfFrame(topFrame)).toEqual({ url: `${ORIGIN}/`, isTopFrame: true })
    expect(isTrustedSender(senderOfFrame(topFrame), ORIGIN)).toBe(true)

    const iframe = { url: `${ORIGIN}/`, parent: topFrame }
    expect(isTrustedSender(senderOfFrame(iframe), ORIGIN)).toBe(false)
    const foreignTop = { url: 'https://evil.example/', parent: null }
    expect(isTrustedSender(senderOfFrame(foreignTop), ORIGIN)).toBe(false)
  })

  it('treats a missing or disposed frame as an unknown, untrusted sender', () => {
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      },
      parent: null,
    }
    for (const frame of [null, undefined, disposed]) {
      expect(senderOfFrame(frame)).toEqual({ url: '', isTopFrame: false })
      expect(isTrustedSender(senderOfFrame(frame), ORIGIN)).toBe(false)
    }
  })
})

describe('createDispatcher', () => {
  it('answers a valid request with the handler value', async () => {
    const dispatch = dispatcherWith({
      'teams:activate': ({ teamId }) => {
        expect(teamId).toBe('abc')
        return null
      },
    })
    await expect(dispatch('teams:activate', { teamId: 'abc' }, top)).resolves.toEqual({
      ok: true,
      value: null,
    })
  })

  it('refuses a subframe and a foreign origin before any handler runs', async () => {
    const handler = vi.fn(() => null)
    const dispatch = dispatcherWith({ 'teams:activate': handler })
    for (const sender of [
      { url: `${ORIGIN}/`, isTopFrame: false },
      { url: 'https://evil.example/', isTopFrame: true },
    ]) {
      await expect(dispatch('teams:activate', { teamId: 'a' }, sender)).resolves.toMatchObject({
        ok: false,
        error: { code: 'ipc.untrusted_sender' },
      })
    }
    expect(handler).not.toHaveBeenCalled()
  })

  it('refuses unknown channels, including inherited object keys', async () => {
    const dispatch = dispatcherWith({})
    for (const channel of ['keys:steal', 'toString', '__proto__', 'constructor']) {
      await expect(dispatch(channel, undefined, top)).resolves.toMatchObject({
        ok: false,
        error: { code: 'ipc.unknown_channel' },
      })
    }
  })

  it('refuses requests that fail the schema, naming the field', async () => {
    const handler = vi.fn(() => null)
    const dispatch = dispatcherWith({ 'teams:activate': handler })
    const cases: unknown[] = [
      undefined,
      null,
      'abc',
      { teamId: 7 },
      { teamId: '' },
      { teamId: 'a', more: 1 },
    ]
    for (const request of cases) {
      const result = await dispatch('teams:activate', request, top)
      expect(result).toMatchObject({ ok: false, error: { code: 'ipc.invalid_request' } })
    }
    const named = await dispatch('teams:activate', { teamId: 7 }, top)
    expect(named.ok === false && named.error.message).toContain('"teamId"')
    expect(handler).not.toHaveBeenCalled()
  })

  it('echoes at most 200 characters of any key or value the page sent', async () => {
    const dispatch = dispatcherWith({})
    const longKey = 'k'.repeat(5_000)
    const longValue = 'v'.repeat(5_000)
    const answers = [
      await dispatch('teams:activate', { teamId: 'a', [longKey]: 1 }, top),
      await dispatch(
        'teams:activate',
        { teamId: 'a', [`${longKey}1`]: 1, [`${longKey}2`]: 2 },
        top,
      ),
      await dispatch('keys:check', { checkId: 'c', draftId: 'd', keyType: longValue }, top),
      await dispatch('teams:rename', { teamId: 'a', name: longValue }, top),
      await dispatch('x'.repeat(5_000), undefined, top),
      await dispatch('teams:activate', { [longKey]: { [longKey]: 1 } }, top),
    ]
    for (const answer of answers) {
      expect(answer.ok).toBe(false)
      const message = answer.ok ? '' : answer.error.message
      const echoed = [...message.matchAll(/[kvx]{10,}/g)].reduce(
        (sum, [run]) => sum + run.length,
        0,
      )
      expect(echoed).toBeLessThanOrEqual(200)
      expect(message.length).toBeLessThan(300)
    }
    const [unrecognized] = answers
    expect(unrecognized?.ok === false && unrecognized.error.code).toBe('ipc.invalid_request')
  })

  it('passes an AppError through as a typed error', async () => {
    const dispatch = dispatcherWith({
      'teams:activate': () => {
        throw new AppError('keys.team_not_found', 'There is no such team.')
      },
    })
    await expect(dispatch('teams:activate', { teamId: 'a' }, top)).resolves.toEqual({
      ok: false,
      error: { code: 'keys.team_not_found', message: 'There is no such team.' },
    })
  })

  it('hides unexpected errors: no stack, no message, no secret reaches the renderer or the log', async () => {
    const written: string[] = []
    const log = createLogger((line) => written.push(line))
    const secret = generateAppleKey().pem
    const dispatch = dispatcherWith(
      {
        'teams:activate': () => {
          throw new Error(`failed with ${secret}`)
        },
      },
      log,
    )
    const result = await dispatch('teams:activate', { teamId: 'a' }, top)
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong inside Ascent. Please try again.' },
    })
    const logged = written.join('\n')
    expect(logged).toContain('teams:activate')
    expect(logged).toContain('[private key redacted]')
    for (const line of secret.split('\n').slice(1, -2)) expect(logged).not.toContain(line)
  })

  it('keeps answering after a handler crashed', async () => {
    let calls = 0
    const dispatch = dispatcherWith({
      'teams:activate': () => {
        calls += 1
        if (calls === 1) throw new TypeError('boom')
        return null
      },
    })
    await dispatch('teams:activate', { teamId: 'a' }, top)
    await expect(dispatch('teams:activate', { teamId: 'a' }, top)).resolves.toEqual({
      ok: true,
      value: null,
    })
  })
})
