/**
 * The data hooks rendered as the app renders them: inside the app's DataProvider, on a fresh
 * query client, over the fake main (imported first: it installs `window.ascent`).
 */
import './fakeMain'
import { renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import type { TeamSummary } from '../../../src/shared/contract'
import { createQueryClient } from '../../../src/renderer/data/client'
import { DataProvider } from '../../../src/renderer/data/DataProvider'

export function renderWithData<T>(hook: () => T) {
  const client = createQueryClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <DataProvider client={client}>{children}</DataProvider>
  )
  return { client, ...renderHook(hook, { wrapper }) }
}

/** A verified Admin team key, as `teams:list` answers it. */
export function savedTeam(id: string, name: string): TeamSummary {
  return {
    id,
    name,
    keyType: 'team',
    issuerId: '57246542-96fe-1a63-e053-0824d011072a',
    keyId: id,
    role: 'ADMIN',
    roleVerified: true,
    fingerprintShort: 'AB:CD',
    createdAt: '2026-01-01T00:00:00Z',
    lastValidatedAt: null,
    status: 'verified',
    statusDetail: null,
  }
}
