import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP_ORIGIN,
  appResponseHeaders,
  CONTENT_SECURITY_POLICY,
  META_CONTENT_SECURITY_POLICY,
  resolveAppAsset,
  resolveAppRequest,
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

describe('resolveAppRequest', () => {
  it('serves app://ascent requests from the renderer folder', () => {
    expect(APP_ORIGIN).toBe('app://ascent')
    expect(resolveAppRequest(dir, 'app://ascent/')?.filePath).toBe(join(dir, 'index.html'))
    expect(resolveAppRequest(dir, 'app://ascent/index.html')).toEqual({
      filePath: join(dir, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    })
    expect(resolveAppRequest(dir, 'app://ascent/assets/index-abc.js?v=1#top')?.filePath).toBe(
      join(dir, 'assets/index-abc.js'),
    )
  })

  it('refuses other hosts, other schemes, ports and credentials', () => {
    for (const url of [
      'app://other/index.html',
      'app://ascent.evil/index.html',
      'app://ascent:8080/index.html',
      'app://user@ascent/index.html',
      'app:///index.html',
      'http://ascent/index.html',
      'https://ascent/index.html',
      'file:///srv/renderer/index.html',
      'not a url',
      '',
    ]) {
      expect(resolveAppRequest(dir, url), url).toBeNull()
    }
  })

  it('refuses paths that climb, however they are written', () => {
    for (const url of [
      'app://ascent/../x.js',
      'app://ascent/../main/index.js',
      'app://ascent/assets/../../x.css',
      'app://ascent/%2e%2e/x.js',
      'app://ascent/%2E%2e/x.js',
      'app://ascent/.%2e/x.js',
      'app://ascent/..%2fmain%2findex.js',
      'app://ascent/..%5cmain%5cindex.js',
      'app://ascent/%2e%2e%2f%2e%2e%2fetc%2fpasswd.js',
      'app://ascent/assets/..',
    ]) {
      expect(resolveAppRequest(dir, url), url).toBeNull()
    }
  })

  it('does not mistake names with dots for climbing', () => {
    expect(resolveAppRequest(dir, 'app://ascent/assets/index..js')?.filePath).toBe(
      join(dir, 'assets/index..js'),
    )
    expect(resolveAppRequest(dir, 'app://ascent/?next=../x')?.filePath).toBe(
      join(dir, 'index.html'),
    )
  })
})

describe('the content security policy', () => {
  it('allows scripts only from the app, connections nowhere else, images only from Apple', () => {
    const directives: Record<string, string[]> = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((directive) => {
        const [name, ...values] = directive.split(' ')
        return [name, values] as [string, string[]]
      }),
    )
    expect(directives['script-src']).toEqual(["'self'"])
    expect(directives['connect-src']).toEqual(["'self'"])
    expect(directives['default-src']).toEqual(["'none'"])
    expect(directives['img-src']).toEqual(['https://*.mzstatic.com'])
    expect(appResponseHeaders('text/html')['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY)
  })

  it('requires Trusted Types and allows no policy, so no string reaches a script sink', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("require-trusted-types-for 'script'")
    expect(CONTENT_SECURITY_POLICY).toContain("trusted-types 'none'")
  })

  it('is also a <meta> in index.html, the same but for frame-ancestors (a header-only directive)', async () => {
    const html = await readFile('src/renderer/index.html', 'utf8')
    const metas = [
      ...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/g),
    ]
    expect(metas).toHaveLength(1)
    expect(metas[0]?.[1]).toBe(META_CONTENT_SECURITY_POLICY)
    expect(META_CONTENT_SECURITY_POLICY).toBe(
      CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'; ", ''),
    )
    // Before anything the policy governs: the first element of <head> after the charset.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<title>'))
  })
})
