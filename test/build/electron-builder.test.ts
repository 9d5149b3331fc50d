/** The release configuration, checked against electron-builder's own JSON schema and our rules. */
import Ajv from 'ajv'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const require = createRequire(import.meta.url)
const schema = JSON.parse(
  readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
) as Record<string, unknown>
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & {
  mac: Record<string, unknown> & { target: { target: string; arch: string[] }[] }
  electronFuses: Record<string, boolean>
  files: string[]
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false })
    const validate = ajv.compile(schema)
    const valid = validate(config)
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  })

  it('builds dmg and zip for arm64 and x64 with the hardened runtime and notarization', () => {
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ])
    expect(config.mac.hardenedRuntime).toBe(true)
    expect(config.mac.notarize).toBe(true)
  })

  it('uses the app icon, every size macOS asks for', () => {
    expect(config.mac.icon).toBe('assets/icon.icns')
    expect(existsSync(String(config.mac.icon))).toBe(true)
  })

  it('feeds updates from GitHub releases', () => {
    expect(config.publish).toEqual({ provider: 'github', releaseType: 'release' })
  })

  it('locks the fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    })
  })

  it('ships the built app only: its entry points, no harness, no sources, no tests', () => {
    expect(config.files).toEqual([
      'out/main/**',
      'out/preload/**',
      'out/renderer/**',
      'package.json',
    ])
    // Every pattern is a folder glob or an exact file, so matching needs no glob library.
    const shipped = (path: string) =>
      config.files.some((pattern) =>
        pattern.endsWith('/**') ? path.startsWith(pattern.slice(0, -2)) : path === pattern,
      )
    const { main } = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string }
    for (const path of [main, 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
      expect(shipped(path), path).toBe(true)
    }
    for (const path of [
      'out/harness/preload.js',
      'src/main/index.ts',
      'test/harness/server.ts',
      'test/sandbox/server.ts',
      'scripts/demo.ts',
      'docs/screenshots/first-run.png',
    ]) {
      expect(shipped(path), path).toBe(false)
    }
  })

  it('asks for the JIT entitlement and nothing else', () => {
    const plist = readFileSync(String(config.mac.entitlements), 'utf8')
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1])
    expect(keys).toEqual(['com.apple.security.cs.allow-jit'])
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements)
  })
})
