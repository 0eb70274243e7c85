import { request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import { SandlotError } from '../sandlot-error'
import { execInContainer } from './container-exec'

export interface AppWait {
  timeoutMs: number
  pollMs: number
  /** The template names a port: the preview must answer through the forwarder, not just the monitor say ready. */
  expectPort: boolean
}

const DEFAULTS: AppWait = { timeoutMs: 180_000, pollMs: 250, expectPort: true }

/**
 * Waits until the monitor reports the app ready and, for apps with a port, the preview on 127.0.0.1 answers
 * with the app's page (the monitor's forwarder answers 503 until the app does). A failed app ends the wait at
 * once, with the tail of its output.
 */
export async function waitForApp(container: Dockerode.Container, previewPort: number | undefined, options: Partial<AppWait> = {}): Promise<void> {
  const o = { ...DEFAULTS, ...options }
  const deadline = Date.now() + o.timeoutMs
  let state = 'unknown'
  while (Date.now() < deadline) {
    const status = await execInContainer(container, ['monitor-cli', 'process', 'status', '--json'])
    if (status.exitCode === 0) {
      const parsed = JSON.parse(status.stdout) as { state: string; reason: string }
      state = parsed.state
      if (state === 'failed') throw await appFailure(container, parsed.reason)
      if (state === 'ready' || (!o.expectPort && state === 'running')) break
    }
    await sleep(o.pollMs)
  }
  if (Date.now() >= deadline) throw await appFailure(container, `not ready after ${Math.round(o.timeoutMs / 1000)} s (state: ${state})`)
  if (!o.expectPort || previewPort === undefined) return
  while (Date.now() < deadline) {
    if ((await previewStatus(previewPort)) !== 503) return
    await sleep(o.pollMs)
  }
  throw await appFailure(container, 'the app is ready inside the container, but the preview port does not reach it')
}

async function appFailure(container: Dockerode.Container, reason: string): Promise<SandlotError> {
  const logs = await execInContainer(container, ['monitor-cli', 'logs', 'tail', '-n', '30'])
  return new SandlotError('APP_FAILED', `The app did not start: ${reason}.`, `The last lines of its output:\n${logs.stdout.trim() || '(none)'}`)
}

/** The preview's HTTP status, or 503 while nothing answers. */
function previewStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 5_000 }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 503)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(503))
    req.end()
  })
}
