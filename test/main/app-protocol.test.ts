import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  appResponseHeaders,
  CONTENT_SECURITY_POLICY,
  resolveAppAsset,
} from '../../src/main/app-protocol'

const dir = resolve('/srv/renderer')

describe('resolveAppAsset', () => {
  it('serves the page for / and files inside the renderer folder', () => {
    expect(resolveAppAsset(dir, '/')).toEqual({
      filePath: join(dir, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    })
    expect(resolveAppAsset(dir, '/assets/index-abc.js')?.filePath).toBe(
      join(dir, 'assets/index-abc.js'),
    )
  })

  it('refuses paths that escape the folder and types it does not serve', () => {
    for (const path of [
      '/../main/index.js',
      '/%2e%2e/secret.js',
      '/assets/../../x.css',
      '/a.exe',
      '/%E0%A4%A',
    ]) {
      expect(resolveAppAsset(dir, path)).toBeNull()
    }
  })
})

describe('the content security policy', () => {
  it('allows scripts only from the app and connections nowhere else', () => {
    const directives: Record<string, string[]> = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((directive) => {
        const [name, ...values] = directive.split(' ')
        return [name, values] as [string, string[]]
      }),
    )
    expect(directives['script-src']).toEqual(["'self'"])
    expect(directives['connect-src']).toEqual(["'self'"])
    expect(directives['default-src']).toEqual(["'none'"])
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'https://*.mzstatic.com'])
    expect(appResponseHeaders('text/html')['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY)
  })
})
