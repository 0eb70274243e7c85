import { useSyncExternalStore } from 'react'

/** Whether a media query matches now, re-rendering when that changes (a narrow window puts actions in a menu). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query)
      list.addEventListener('change', onChange)
      return () => list.removeEventListener('change', onChange)
    },
    () => window.matchMedia(query).matches
  )
}
