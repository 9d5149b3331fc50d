import { describe, expect, it } from 'vitest'
import { requests, requestScope, requestTarget } from '../../../src/main/asc'
import { scopeAllows } from '../../sandbox/auth'

function target(method: string, pathAndQuery: string) {
  const url = new URL(pathAndQuery, 'https://api.appstoreconnect.apple.com')
  return { method, pathname: url.pathname, query: url.searchParams }
}

describe('requestScope', () => {
  it('writes one canonical entry: sorted, without limit, cursor and sort, brackets readable', () => {
    expect(
      requestScope(
        'get',
        '/v1/apps?limit=200&sort=name&include=appStoreVersions&fields%5Bapps%5D=name,bundleId',
      ),
    ).toBe('GET /v1/apps?fields[apps]=name,bundleId&include=appStoreVersions')
    expect(requestScope('GET', '/v1/apps?limit=1')).toBe('GET /v1/apps')
  })

  it('does not depend on parameter order or on the host', () => {
    expect(requestScope('GET', 'https://api.appstoreconnect.apple.com/v1/builds?b=2&a=1')).toBe(
      requestScope('GET', '/v1/builds?a=1&b=2'),
    )
  })

  it('keeps values that would split a query string intact', () => {
    const scope = requestScope('GET', `/v1/apps?filter[name]=${encodeURIComponent('A&B=C+D')}`)
    expect(scope).toBe('GET /v1/apps?filter[name]=A%26B%3DC%2BD')
    expect(
      scopeAllows([scope], target('GET', `/v1/apps?filter[name]=${encodeURIComponent('A&B=C+D')}`)),
    ).toBe(true)
  })

  it("matches every request the client makes, and its next pages, the sandbox's (Apple's) way", () => {
    const all = [
      requests.apps(),
      requests.app('123'),
      requests.builds('123'),
      requests.currentBuilds('123'),
      requests.buildsOfVersions('123', ['a', 'b']),
      requests.preReleaseVersions('123'),
      requests.build('b1'),
      requests.probeApps(),
      requests.probeTestFlight(),
      requests.probeUsers(),
    ]
    for (const request of all) {
      const path = requestTarget(request)
      const scope = requestScope(request.method, path)
      expect(scopeAllows([scope], target('GET', path))).toBe(true)
      expect(scopeAllows([scope], target('GET', `${path}&cursor=eyJvZmZzZXQiOiIyMDAifQ`))).toBe(
        true,
      )
      expect(scopeAllows([scope], target('GET', `${path}&filter[id]=x`))).toBe(false)
    }
  })
})
