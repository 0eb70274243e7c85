import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../cli'
import { systemClock, type Clock, type Random } from '../clock'
import { createMonitorCore, type MonitorCore } from '../monitor-service'
import type { PortProbe } from '../port-probe'
import { signalGroup } from '../process-group'
export { groupAlive } from '../process-group'
import { parseMonitorRecord, ProcessSpec, type MonitorRecord, type ProcessSpecInput } from '../protocol'

type RecordOf<T extends MonitorRecord['type']> = Extract<MonitorRecord, { type: T }>

/** A monitor core on a temporary folder whose record stream is parsed (and so validated) as it is written. */
export interface Harness {
  supervisor: MonitorCore['supervisor']
  boot: string
  dir: string
  specPath: string
  diagnostics: string[]
  records(): MonitorRecord[]
  ofType<T extends MonitorRecord['type']>(type: T): RecordOf<T>[]
  /** Builds a full spec running in the harness folder. */
  spec(input: Omit<ProcessSpecInput, 'cwd'> & { cwd?: string }): ProcessSpec
  cleanup(): Promise<void>
}

export function createHarness(options: { clock?: Clock; random?: Random; probe?: PortProbe; dir?: string } = {}): Harness {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sandlot-monitor-'))
  const specPath = join(dir, 'state', 'process.json')
  const lines: string[] = []
  const diagnostics: string[] = []
  const core = createMonitorCore({
    config: { socketPath: join(dir, 'monitor.sock'), specPath, previewPort: 0 },
    stdout: { write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) },
    log: (message) => diagnostics.push(message),
    env: process.env,
    cwd: dir,
    clock: options.clock ?? systemClock,
    random: options.random ?? (() => 0.5),
    ...(options.probe ? { probe: options.probe } : {})
  })
  const records = () => lines.map(parseMonitorRecord)
  return {
    supervisor: core.supervisor,
    boot: core.records.boot,
    dir,
    specPath,
    diagnostics,
    records,
    ofType: <T extends MonitorRecord['type']>(type: T) => records().filter((r): r is RecordOf<T> => r.type === type),
    spec: (input) => ProcessSpec.parse({ cwd: dir, ...input }),
    async cleanup() {
      // Kill whatever still runs, so shutdown cannot wait on a stop timeout of a fake clock.
      for (const state of records()) if (state.type === 'state' && state.pid) killGroup(state.pid)
      await core.preview.close()
      await core.supervisor.shutdown('test cleanup')
      if (!options.dir) rmSync(dir, { recursive: true, force: true })
    }
  }
}

export function killGroup(pid: number): void {
  signalGroup(pid, 'SIGKILL')
}

/** A shell command running a Node script with the Node that runs the tests. */
export function nodeCommand(script: string): string {
  return `${shellQuote(process.execPath)} -e ${shellQuote(script)}`
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

/** Polls (in real time) until `probe` returns a value; fails with `what` after a generous limit. */
type Maybe<T> = T | undefined | null | false

export async function waitFor<T>(probe: () => Maybe<T> | Promise<Maybe<T>>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The transitions so far, as "from→to". */
export function transitions(harness: Harness): string[] {
  return harness.ofType('state').map((r) => `${r.from ?? '∅'}→${r.to}`)
}

/** monitor-cli run in-process against the monitor whose socket is in `dir`, with its output captured. */
export async function monitorCli(dir: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env: { SANDLOT_MONITOR_SOCKET: join(dir, 'monitor.sock') },
    cwd: dir
  })
  return { code, stdout: out.join(''), stderr: err.join('') }
}
