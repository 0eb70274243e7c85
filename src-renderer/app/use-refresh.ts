import { useEffect } from 'react'

/**
 * Calls `refresh` now and every `intervalMs` while `enabled` and the page is visible (a hidden tab or a
 * minimised window asks nothing), and again as soon as it becomes visible.
 */
export function useRefresh(refresh: () => void, intervalMs: number, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return
    const tick = (): void => {
      if (document.visibilityState === 'visible') refresh()
    }
    tick()
    const timer = setInterval(tick, intervalMs)
    document.addEventListener('visibilitychange', tick)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', tick)
    }
  }, [refresh, intervalMs, enabled])
}
