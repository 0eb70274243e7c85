import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/**
 * CPU time of host processes from /proc: the engine side of a container's log pipeline (dockerd, which
 * reads the container's output and writes the json-file log, and the container's containerd shim, which
 * copies its stdio). Only where the engine runs on this very host (Linux, a local socket); elsewhere
 * (Docker Desktop's VM, a remote engine) `find` returns undefined and the benchmark leaves the row out.
 */
export interface HostProcesses {
  dockerdPid: number
  shimPid: number | undefined
}

let clockTicks: number | undefined
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      clockTicks = 100
    }
  }
  return clockTicks
}

/** utime + stime of a process, in seconds; undefined when it is gone or unreadable. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command (which may hold spaces) start after the last ')'; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond()
  } catch {
    return undefined
  }
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * The dockerd serving `socketPath`: the pid in /var/run/docker.pid for the default socket, else a dockerd
 * whose command line names the socket (a second engine started with -H unix://…).
 */
export function findDockerd(socketPath: string | undefined): number | undefined {
  if (process.platform !== 'linux' || socketPath === undefined) return undefined
  if (socketPath === '/var/run/docker.sock' || socketPath === '/run/docker.sock') {
    const pid = safeRead('/var/run/docker.pid')
    if (pid !== undefined && readProc(pid.trim(), 'comm')?.trim() === 'dockerd') return Number(pid.trim())
  }
  for (const pid of pids()) {
    if (readProc(pid, 'comm')?.trim() !== 'dockerd') continue
    const args = (readProc(pid, 'cmdline') ?? '').split('\0')
    if (args.some((a) => a.includes(socketPath))) return Number(pid)
  }
  return undefined
}

/** The containerd shim of a container: `containerd-shim-runc-v2 -namespace moby -id <container id> …`. */
export function findShim(containerId: string): number | undefined {
  if (process.platform !== 'linux') return undefined
  for (const pid of pids()) {
    if (!readProc(pid, 'comm')?.startsWith('containerd-shim')) continue
    const args = (readProc(pid, 'cmdline') ?? '').split('\0')
    const id = args.indexOf('-id')
    if (id >= 0 && args[id + 1] === containerId) return Number(pid)
  }
  return undefined
}

/** CPU seconds of dockerd plus the container's shim, or undefined when either cannot be read. */
export function hostPipelineCpu(processes: HostProcesses): number | undefined {
  const dockerd = processCpuSeconds(processes.dockerdPid)
  const shim = processes.shimPid === undefined ? 0 : processCpuSeconds(processes.shimPid)
  return dockerd === undefined || shim === undefined ? undefined : dockerd + shim
}

function pids(): string[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return []
  }
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}
