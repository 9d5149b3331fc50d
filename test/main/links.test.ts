import { describe, expect, it } from 'vitest'
import { allowedExternalUrl } from '../../src/main/links'

describe('allowedExternalUrl', () => {
  it.each([
    'https://appstoreconnect.apple.com/access/integrations/api',
    'https://appstoreconnect.apple.com/apps/123/testflight/ios',
    'https://developer.apple.com/documentation/appstoreconnectapi',
    'https://developer.apple.com/help/app-store-connect/',
  ])('allows %s, as given when it is already normal', (url) =>
    expect(allowedExternalUrl(url)).toBe(url),
  )

  it.each([
    'http://appstoreconnect.apple.com/',
    'https://appstoreconnect.apple.com.evil.example/',
    'https://evil.example/?https://appstoreconnect.apple.com/',
    'https://user:pass@appstoreconnect.apple.com/',
    'https://appstoreconnect.apple.com:8443/',
    'https://developer.apple.com/account/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (url) => expect(allowedExternalUrl(url)).toBeNull())

  it('answers the normalised URL, never the raw string, for input a browser may read otherwise', () => {
    // WHATWG reads the backslash as a slash, so this is App Store Connect's path "/@evil.example/";
    // a parser that treated "\" differently would see user info and the host evil.example.
    expect(allowedExternalUrl('https://appstoreconnect.apple.com\\@evil.example/')).toBe(
      'https://appstoreconnect.apple.com/@evil.example/',
    )
    expect(allowedExternalUrl('HTTPS://AppStoreConnect.Apple.com/apps')).toBe(
      'https://appstoreconnect.apple.com/apps',
    )
    expect(allowedExternalUrl('https://developer.apple.com/help/\tx y')).toBe(
      'https://developer.apple.com/help/x%20y',
    )
  })
})
