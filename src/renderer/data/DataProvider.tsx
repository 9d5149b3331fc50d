import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import { useEffect, useState, type ReactNode } from 'react'
import { createQueryClient, followMain } from './client'

/** Server state for everything inside: one query client, following main's changes. */
export function DataProvider(props: { client?: QueryClient; children: ReactNode }) {
  const [client] = useState(() => props.client ?? createQueryClient())
  useEffect(() => followMain(client), [client])
  return <QueryClientProvider client={client}>{props.children}</QueryClientProvider>
}
