import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { waitFor } from './wait'

const root = join(import.meta.dirname, '..', '..')

export interface OrchestratorProcess {
  url: string
  child: ChildProcess
  stderr: () => string
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>
  /** SIGTERM, and wait until it stopped. */
  stop(): Promise<void>
}

/** A real `sandlot orchestrator serve --json` on a free loopback port, as users run it. */
export async function startOrchestrator(args: string[], env: NodeJS.ProcessEnv): Promise<OrchestratorProcess> {
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('out/main/cli.js is missing: run `npm run build` before the integration tests (npm test does).')
  const child = spawn(process.execPath, [join(root, 'bin', 'sandlot.js'), '--json', 'orchestrator', 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const info = await waitFor(
    'the orchestrator to listen',
    () => {
      if (child.exitCode !== null) throw new Error(`the orchestrator exited with ${child.exitCode}: ${stdout}${stderr}`)
      try {
        return JSON.parse(stdout) as { url: string }
      } catch {
        return undefined
      }
    },
    60_000
  )
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
  }
  return { url: info.url, child, stderr: () => stderr, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') }
}
