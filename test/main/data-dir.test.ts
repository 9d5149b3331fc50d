import { describe, expect, it } from 'vitest'
import { dataDirOverride, defaultDataDir } from '../../src/main/data-dir'

describe('the data folder', () => {
  it('is where Electron puts userData for an app named Ascent', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/ana')).toBe(
      '/Users/ana/Library/Application Support/Ascent',
    )
    expect(defaultDataDir({}, 'linux', '/home/ana')).toBe('/home/ana/.config/Ascent')
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ana')).toBe('/cfg/Ascent')
    // A relative XDG_CONFIG_HOME is invalid by the spec, and ignored as Electron ignores it.
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'cfg' }, 'linux', '/home/ana')).toBe(
      '/home/ana/.config/Ascent',
    )
  })

  it('is ASCENT_DATA_DIR when set, relative to the working folder', () => {
    expect(dataDirOverride({ ASCENT_DATA_DIR: '/tmp/a' }, '/fallback')).toBe('/tmp/a')
    expect(dataDirOverride({ ASCENT_DATA_DIR: 'rel' }, '/fallback', '/work')).toBe('/work/rel')
    expect(dataDirOverride({ ASCENT_DATA_DIR: '  ' }, '/fallback')).toBe('/fallback')
    expect(dataDirOverride({}, '/fallback')).toBe('/fallback')
  })
})
