import { appIdentity, processIdentityFacts } from './app-user'
import { monitorConfigFromEnv } from './config'
import { startMonitor } from './monitor-service'

// sandlot-monitor: the container's main process (under tini). Records go to stdout, diagnostics to stderr.
const log = (message: string) => void process.stderr.write(`sandlot-monitor: ${message}\n`)

const started = Promise.resolve().then(() => {
  const { identity, warning } = appIdentity(processIdentityFacts(process.env))
  if (warning) log(warning)
  return startMonitor({ config: monitorConfigFromEnv(process.env), stdout: process.stdout, log, env: process.env, identity, cwd: process.cwd() })
})
started.catch((error: Error) => {
  log(`cannot start: ${error.message}`)
  process.exit(1)
})

// Handlers go in before the monitor is up: a `docker stop` during the boot still stops the app gracefully.
let stopping = false
function stop(signal: NodeJS.Signals): void {
  if (stopping) return
  stopping = true
  started
    .then((monitor) => monitor.shutdown(signal))
    .then(
      () => process.exit(0),
      (error: Error) => {
        log(`shutdown failed: ${error.stack ?? error.message}`)
        process.exit(1)
      }
    )
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
