import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** Finds the TCP port the app listens on, or undefined while it listens on none. */
export type PortFinder = (appPid: number, exclude: number | null) => Promise<number | undefined>

/** One listening socket from /proc/net/tcp or tcp6. */
export interface ListeningSocket {
  inode: string
  port: number
}

/** TCP_LISTEN in the kernel's state column (include/net/tcp_states.h). */
const TCP_LISTEN = '0A'

/**
 * The listening sockets in a /proc/net/tcp{,6} table: `sl local_address rem_address st … uid timeout inode`,
 * the local address as HEXADDR:HEXPORT. Lines that do not read so (the header) are skipped.
 */
export function parseListeningSockets(table: string): ListeningSocket[] {
  const sockets: ListeningSocket[] = []
  for (const line of table.split('\n')) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 10 || fields[3] !== TCP_LISTEN) continue
    const port = /:([0-9A-F]{4})$/i.exec(fields[1]!)?.[1]
    const inode = fields[9]!
    if (port === undefined || !/^\d+$/.test(inode) || inode === '0') continue
    sockets.push({ inode, port: parseInt(port, 16) })
  }
  return sockets
}

/** The parent pid in a /proc/<pid>/stat line; the command name before it is in parentheses and may hold anything. */
export function parentPid(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ppid = Number(fields[1])
  return Number.isInteger(ppid) ? ppid : undefined
}

/** The app's process tree: `root` and every process descended from it, from /proc/<pid>/stat (world-readable). */
export function processTree(root: number, proc = '/proc'): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`${proc}/${entry}/stat`, 'utf8')
    } catch {
      continue // ended meanwhile
    }
    const ppid = parentPid(stat)
    if (ppid === undefined) continue
    const siblings = children.get(ppid) ?? []
    siblings.push(Number(entry))
    children.set(ppid, siblings)
  }
  const tree: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    const pid = queue.shift()!
    tree.push(pid)
    queue.push(...(children.get(pid) ?? []))
  }
  return tree
}

/** The `socket:[inode]` targets in `find … -printf '%l\n'` output. */
export function socketInodes(links: string): Set<string> {
  const inodes = new Set<string>()
  for (const match of links.matchAll(/^socket:\[(\d+)\]$/gm)) inodes.add(match[1]!)
  return inodes
}

/**
 * The sockets the processes hold, listed by `find` run as the app's own user: only a process of the same uid
 * (or one holding CAP_SYS_PTRACE, which the monitor does not get) may read another's /proc/<pid>/fd.
 */
function heldSockets(pids: number[], user: { uid: number; gid: number } | undefined): Promise<Set<string>> {
  const dirs = pids.map((pid) => `/proc/${pid}/fd`)
  return new Promise((resolve) => {
    execFile(
      'find',
      [...dirs, '-mindepth', '1', '-maxdepth', '1', '-lname', 'socket:*', '-printf', '%l\\n'],
      { timeout: 5_000, maxBuffer: 1024 * 1024, ...(user ? { uid: user.uid, gid: user.gid } : {}) },
      // A process that ended meanwhile makes find exit 1 with what it did read: that is still the answer.
      (_error, stdout) => resolve(socketInodes(String(stdout)))
    )
  })
}

/**
 * VS Code's way of finding ports to forward: the listening TCP sockets of the container's network namespace
 * (/proc/net/tcp and tcp6) that one of the app's processes holds. Other listeners (a server started from a
 * terminal, the monitor's preview port) are not the app's. Several: see pickAppPort.
 */
export function procPortFinder(user?: { uid: number; gid: number }, proc = '/proc'): PortFinder {
  return async (appPid, exclude) => {
    const listening = [`${proc}/net/tcp`, `${proc}/net/tcp6`].flatMap((file) => {
      try {
        return parseListeningSockets(readFileSync(file, 'utf8'))
      } catch {
        return [] // no IPv6 in this kernel
      }
    })
    if (listening.length === 0) return undefined
    const held = await heldSockets(processTree(appPid, proc), user)
    return pickAppPort(listening.filter((s) => held.has(s.inode)).map((s) => s.port), exclude)
  }
}

/**
 * Debuggers' default ports (Node's inspector, Python's debugpy): an app started with `--inspect` opens one before
 * its own server, and the first port found is kept for the run, so the preview would go to the debugger.
 */
const DEBUGGER_PORTS = new Set([9229, 5678])

/** The app's page among the ports its processes listen on: the lowest that is neither excluded nor a debugger's. */
export function pickAppPort(ports: readonly number[], exclude: number | null): number | undefined {
  const candidates = ports.filter((port) => port !== exclude && !DEBUGGER_PORTS.has(port))
  return candidates.length === 0 ? undefined : Math.min(...candidates)
}
