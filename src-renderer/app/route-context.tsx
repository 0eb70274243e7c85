import { createContext, useCallback, useContext, useEffect, useState } from 'react'
import { parseRoute, type Route } from './route'

/** The current path (see route.ts), for views that take parameters from it. */
export const RouteContext = createContext<string>('')

export function useRoute(): Route {
  return parseRoute(useContext(RouteContext))
}

function pathOfHash(fallback: string): string {
  const path = window.location.hash.replace(/^#\/?/, '')
  return path === '' ? fallback : path
}

/**
 * The path, kept in step with the URL's hash both ways: going somewhere writes it (a new history entry, so Back
 * returns), and Back, Forward or an edited address come back as a new path.
 */
export function useHashRoute(fallback: string): [string, (path: string) => void] {
  const [path, setPath] = useState(() => pathOfHash(fallback))
  useEffect(() => {
    const onHash = (): void => setPath(pathOfHash(fallback))
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [fallback])
  const go = useCallback((next: string) => {
    setPath(next)
    if (pathOfHash('') !== next) window.location.hash = `#/${next}`
  }, [])
  return [path, go]
}
