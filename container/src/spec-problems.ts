import { statSync } from 'node:fs'
import type { ProcessSpec } from './protocol'

/**
 * What keeps a spec from running here, checked on requests and again at every launch (a saved spec may outlive
 * its folder, or predate the preview port). Null when it can run.
 */
export function specProblem(spec: ProcessSpec, here: { reservedPort: number | null; defaultCwd: string }): string | null {
  if (spec.port !== undefined && spec.port === here.reservedPort) {
    return (
      `port ${here.reservedPort} is the preview port, reserved by the monitor: let the app listen on another port ` +
      `(the preview port forwards to the spec's port)`
    )
  }
  return cwdProblem(spec.cwd ?? here.defaultCwd)
}

/** A missing cwd would surface as a confusing "spawn /bin/bash ENOENT": name it instead. */
function cwdProblem(cwd: string): string | null {
  try {
    if (statSync(cwd).isDirectory()) return null
  } catch {
    // reported below
  }
  return `cwd ${cwd} is not a directory in the container`
}
