import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { SandboxKey, SandboxSummary } from './index'
import { isP256Pkcs8Pem, signToken } from './support'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const running: ChildProcessWithoutNullStreams[] = []

function startCli(args: string[]): {
  child: ChildProcessWithoutNullStreams
  firstLine: Promise<string>
} {
  // tsx as a loader in one process: signals reach the CLI itself, not tsx's relaying parent.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/sandbox/cli.ts', ...args], {
    cwd: root,
  })
  running.push(child)
  const lines = createInterface({ input: child.stdout })
  const firstLine = new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine)
    child.once('close', (code) => reject(new Error(`sandbox CLI exited (${code}) before printing`)))
  })
  return { child, firstLine }
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null) resolveExit(child.exitCode)
    child.once('exit', (code) => resolveExit(code))
    child.kill('SIGTERM')
  })
}

afterEach(async () => {
  await Promise.all(running.splice(0).map(stop))
})

describe('npm run sandbox', () => {
  it('prints one JSON line with URL and credentials, serves with them, and cleans up on SIGTERM', async () => {
    const { child, firstLine } = startCli(['--json', '--seed', '9', '--rate-limit', '7'])
    const summary = JSON.parse(await firstLine) as SandboxSummary
    expect(summary.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(summary.seed).toBe(9)
    expect(summary.fixtures.bigApp).toMatchObject({ name: 'Northwind Mail', buildCount: 5000 })
    expect(summary.fixtures.attentionCounts.stuckProcessing).toBeGreaterThan(0)
    expect(summary.teams.map((team) => team.name)).toEqual([
      'Northwind Labs',
      'Contoso Games',
      'Fabrikam Studio',
    ])
    const keyDir = summary.keyDir ?? ''
    expect(dirname(keyDir)).toBe(tmpdir())
    for (const team of summary.teams) {
      expect(team.issuerId).toMatch(/^[0-9a-f-]{36}$/)
      for (const key of team.keys) {
        expect(Object.keys(key).sort()).toEqual([
          'keyId',
          'name',
          'p8Path',
          'revoked',
          'role',
          'type',
        ])
        expect(['ADMIN', 'APP_MANAGER', 'DEVELOPER']).toContain(key.role)
        expect(['team', 'individual']).toContain(key.type)
        expect(basename(key.p8Path ?? '')).toBe(`AuthKey_${key.keyId}.p8`)
        expect(dirname(key.p8Path ?? '')).toBe(keyDir)
        expect(statSync(key.p8Path ?? '').mode & 0o777).toBe(0o600)
        expect(isP256Pkcs8Pem(readFileSync(key.p8Path ?? '', 'utf8'))).toBe(true)
      }
    }

    const team = summary.teams[0]
    const described = team?.keys.find((key) => key.role === 'ADMIN')
    const key: SandboxKey = {
      ...(described as NonNullable<typeof described>),
      issuerId: team?.issuerId ?? null,
      teamName: team?.name ?? '',
      privateKeyPem: readFileSync(described?.p8Path ?? '', 'utf8'),
    }
    const response = await fetch(`${summary.url}/v1/apps?limit=200`, {
      headers: { Authorization: `Bearer ${await signToken(key)}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-rate-limit')).toBe('user-hour-lim:7;user-hour-rem:6;')
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(30)

    expect(await stop(child)).toBe(0)
    expect(existsSync(keyDir)).toBe(false)
  })

  it('prints a readable summary and takes fault flags and --no-retry-after', async () => {
    const { child, firstLine } = startCli([
      '--fault',
      'html:503,times=1',
      '--port',
      '0',
      '--no-retry-after',
    ])
    const heading = await firstLine
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(heading)?.[1]
    expect(url).toBeDefined()
    const faulted = await fetch(`${url}/v1/apps`)
    expect(faulted.status).toBe(503)
    expect(faulted.headers.get('content-type')).toBe('text/html')
    expect((await fetch(`${url}/v1/apps`)).status).toBe(401)
    const settings = (await (await fetch(`${url}/__sandbox/rate-limit`)).json()) as unknown
    expect(settings).toMatchObject({ hourlyLimit: 3600, retryAfter: false })
    expect(await stop(child)).toBe(0)
  })

  it('refuses unknown options', async () => {
    const { child, firstLine } = startCli(['--colour'])
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    await expect(firstLine).rejects.toThrow('sandbox CLI exited (2) before printing')
    expect(stderr).toContain("Unknown option '--colour'")
  })
})
