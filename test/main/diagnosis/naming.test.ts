import { describe, expect, it } from 'vitest'
import { suggestTeamName } from '../../../src/main/diagnosis'

const apps = (...pairs: [string, string][]) => pairs.map(([name, bundleId]) => ({ name, bundleId }))

describe('suggestTeamName', () => {
  it('takes the organisation from the apps’ common bundle-ID prefix', () => {
    const seen = apps(['Northwind Mail', 'com.northwind.mail'], ['Notes', 'com.northwind.notes'])
    expect(suggestTeamName({ keyType: 'team', apps: seen, taken: [] })).toBe('Northwind')
    expect(suggestTeamName({ keyType: 'individual', apps: seen, taken: [] })).toBe(
      'Northwind (individual key)',
    )
  })

  it('reads one app’s bundle ID without its own last label, and words in the label', () => {
    expect(
      suggestTeamName({
        keyType: 'team',
        apps: apps(['Kart', 'com.north-wind_labs.kart']),
        taken: [],
      }),
    ).toBe('North Wind Labs')
    expect(
      suggestTeamName({ keyType: 'team', apps: apps(['A', 'uk.co.fabrikam.sketch']), taken: [] }),
    ).toBe('Fabrikam')
  })

  it('falls back to the words every app name starts with when bundle IDs share no organisation', () => {
    const seen = apps(['Contoso Kart', 'com.kart.app'], ['Contoso Chess', 'io.chess.app'])
    expect(suggestTeamName({ keyType: 'team', apps: seen, taken: [] })).toBe('Contoso')
  })

  it('says what the key is when the check saw no apps, never an ID', () => {
    expect(suggestTeamName({ keyType: 'team', apps: null, taken: [] })).toBe(
      'App Store Connect team',
    )
    expect(suggestTeamName({ keyType: 'team', apps: [], taken: [] })).toBe('App Store Connect team')
    expect(suggestTeamName({ keyType: 'individual', apps: null, taken: [] })).toBe('Individual key')
    const unrelated = apps(['Kart', 'com.kart.app'], ['Chess', 'io.chess.app'])
    expect(suggestTeamName({ keyType: 'team', apps: unrelated, taken: [] })).toBe(
      'App Store Connect team',
    )
  })

  it('numbers a name already taken, whatever its case', () => {
    const seen = apps(['Mail', 'com.northwind.mail'])
    expect(suggestTeamName({ keyType: 'team', apps: seen, taken: ['northwind'] })).toBe(
      'Northwind 2',
    )
    expect(
      suggestTeamName({ keyType: 'team', apps: seen, taken: ['Northwind', 'Northwind 2'] }),
    ).toBe('Northwind 3')
  })
})
