import { readdirSync, readFileSync } from 'node:fs'

/** Sends a signal to every process in the group; a group that is already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // ESRCH: nothing left to signal.
  }
}

/**
 * Whether any process of the group still runs. Zombies do not count: a child orphaned by the
 * app is reparented to PID 1 and stays a zombie until PID 1 reaps it, which some inits do late,
 * yet kill(-pgid, 0) would keep reporting it. Reads /proc (the monitor runs on Linux); where
 * /proc is unreadable it falls back to kill(-pgid, 0).
 */
export function groupAlive(pgid: number): boolean {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return signalReaches(pgid)
  }
  return pids.some((pid) => {
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    } catch {
      return false // exited while we looked
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so parse after the last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(pgrp) === pgid && state !== 'Z' && state !== 'X'
  })
}

function signalReaches(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
