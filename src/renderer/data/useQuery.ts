import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { IpcError, Result } from '../../shared/result'

export interface Query<T> {
  data: T | undefined
  error: IpcError | null
  loading: boolean
  reload: () => void
}

interface Settled<T> {
  key: string
  generation: number
  data: T | undefined
  error: IpcError | null
}

/**
 * Loads `load()` whenever `key` changes (null: nothing to load). An answer that arrives after the
 * key changed is dropped, so a slow reply for one team never lands under another.
 */
export function useQuery<T>(key: string | null, load: () => Promise<Result<T>>): Query<T> {
  const [settled, setSettled] = useState<Settled<T> | null>(null)
  const [generation, setGeneration] = useState(0)
  const loadRef = useRef(load)
  useLayoutEffect(() => {
    loadRef.current = load
  })

  useEffect(() => {
    if (key === null) return
    let current = true
    void loadRef.current().then((result) => {
      if (!current) return
      setSettled({
        key,
        generation,
        data: result.ok ? result.value : undefined,
        error: result.ok ? null : result.error,
      })
    })
    return () => {
      current = false
    }
  }, [key, generation])

  const reload = useCallback(() => setGeneration((value) => value + 1), [])
  const matches = settled !== null && settled.key === key
  return {
    data: matches ? settled.data : undefined,
    error: matches ? settled.error : null,
    loading: key !== null && !(matches && settled.generation === generation),
    reload,
  }
}
