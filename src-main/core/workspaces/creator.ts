import { hostname } from 'node:os'

/** This process, as it marks what it is in the middle of making: `<host>:<pid>`. */
export const CREATOR = `${hostname()}:${process.pid}`

/**
 * Whether the process that marked something as its own still runs. One on another machine (a data folder on
 * a shared drive) cannot be checked and counts as alive; a missing mark does not.
 */
export function creatorAlive(creator: string | null | undefined): boolean {
  if (!creator) return false
  const at = creator.lastIndexOf(':')
  if (creator.slice(0, at) !== hostname()) return true
  try {
    process.kill(Number(creator.slice(at + 1)), 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
