import { request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import type { AppState } from '../../../container/src/protocol'
import { followMonitorRecords, type RecordsQuery } from '../monitor/monitor-records'
import { SandlotError } from '../sandlot-error'
import { execInContainer } from './container-exec'

export interface AppWait {
  timeoutMs: number
  /** Between two looks at the preview port, once the monitor said ready. */
  pollMs: number
  /** The template names a port: the preview must answer through the forwarder, not just the monitor say ready. */
  expectPort: boolean
  /** The app's port, to say what is not answering. */
  appPort?: number
  /** Each state the monitor reports on the way (crashed, restarting, running but not answering…). */
  onState?: (state: AppState, reason: string) => void
  /** The monitor found the port of an app that names none: the preview forwards to it, and is tried like a named one. */
  onPortFound?: (port: number) => void
  /** An app the user stopped is an answer too (a container start resumes it stopped). */
  stoppedIsFine?: boolean
}

const DEFAULTS: AppWait = { timeoutMs: 180_000, pollMs: 50, expectPort: true }

export interface AppReadiness {
  /**
   * Settles when the monitor reports the app ready (or running, for apps without a port) and the preview on
   * 127.0.0.1 answers with the app's page (the monitor's forwarder answers 503 until the app does). A failed
   * app ends the wait at once, with the tail of its output.
   */
  ready(previewPort: number | undefined, options?: Partial<AppWait>): Promise<void>
  close(): void
}

/**
 * Follows the monitor's state records from now on. Start it before the app, so no transition is missed:
 * the record arrives the moment the monitor sees the app ready, where polling `monitor-cli` cost a Node start
 * in the container per look and up to a poll interval of latency.
 */
export async function watchAppReadiness(docker: Dockerode, containerId: string, from: RecordsQuery = { tail: 0 }): Promise<AppReadiness> {
  const states: { to: AppState; reason: string }[] = []
  const ports: number[] = []
  let wake = (): void => {}
  const follower = await followMonitorRecords(
    docker,
    containerId,
    from,
    {
      onRecord: ({ record }) => {
        if (record.type === 'port') ports.push(record.port)
        else if (record.type === 'state') states.push({ to: record.to, reason: record.reason })
        else return
        wake()
      }
    }
  )
  let ended = false
  void follower.ended.then(() => {
    ended = true
    wake()
  })
  const container = docker.getContainer(containerId)

  return {
    async ready(previewPort, options = {}) {
      const o = { ...DEFAULTS, ...options }
      const deadline = Date.now() + o.timeoutMs
      let state = 'unknown'
      let found = false
      // The monitor writes a port record before the state it leads to, so it is known when that state is read.
      const takePorts = (): void => {
        for (const port of ports.splice(0)) {
          found = true
          o.onPortFound?.(port)
        }
      }
      for (;;) {
        takePorts()
        const next = states.shift()
        if (next) {
          state = next.to
          o.onState?.(next.to, next.reason)
          if (next.to === 'failed') throw await appFailure(container, next.reason)
          if (next.to === 'stopped') {
            // Stopped on request before (a container start resumes it stopped): nothing to wait for.
            if (o.stoppedIsFine) return
            // Exited by itself without an error, under a policy that does not restart it: it will not answer.
            throw await appFailure(container, `it exited (${next.reason})`)
          }
          if (next.to === 'ready' || (!o.expectPort && next.to === 'running')) break
          continue
        }
        if (ended) {
          const running = await container.inspect().then((info) => info.State.Running, () => false)
          throw await appFailure(container, running ? 'the engine stopped sending its log' : 'the container stopped')
        }
        const left = deadline - Date.now()
        if (left <= 0) {
          const silent = state === 'running' && o.appPort !== undefined ? `, and nothing answered on port ${o.appPort}: check the template's port (and readyPattern)` : ''
          throw await appFailure(container, `not ready after ${Math.round(o.timeoutMs / 1000)} s (state: ${state}${silent})`)
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
      if (!(o.expectPort || found) || previewPort === undefined) return
      while (Date.now() < deadline) {
        if ((await previewStatus(previewPort)) !== 503) return
        // Ready is a start signal: the app may lose its port again (unhealthy) or fail while the preview is tried.
        for (const next of states.splice(0)) {
          state = next.to
          o.onState?.(next.to, next.reason)
          if (next.to === 'failed') throw await appFailure(container, next.reason)
        }
        await sleep(o.pollMs)
      }
      if (state === 'unhealthy') throw await appFailure(container, 'it was ready, then its port stopped answering (state: unhealthy)')
      throw await appFailure(container, 'the app is ready inside the container, but the preview port does not reach it')
    },
    close: () => follower.close()
  }
}

async function appFailure(container: Dockerode.Container, reason: string): Promise<SandlotError> {
  const logs = await execInContainer(container, ['monitor-cli', 'logs', 'tail', '-n', '30'], { user: 'monitor' }).catch(() => ({ stdout: '' }))
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
