import { describe, expect, it } from 'vitest'
import { isAllowedExternalUrl } from '../../src/main/links'

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://appstoreconnect.apple.com/access/integrations/api',
    'https://appstoreconnect.apple.com/apps/123/testflight/ios',
    'https://developer.apple.com/documentation/appstoreconnectapi',
    'https://developer.apple.com/help/app-store-connect/',
  ])('allows %s', (url) => expect(isAllowedExternalUrl(url)).toBe(true))

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
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false))
})
