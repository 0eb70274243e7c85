import type Dockerode from 'dockerode'
import { SandlotError } from '../sandlot-error'
import { execInContainer } from './container-exec'

const INSTALL_TAIL_LINES = 30
/** Generous: a first install of a large app on a slow network takes minutes. */
const INSTALL_TIMEOUT_S = 15 * 60

/** Runs the install command in /app, its lines told as they come; a failure says why with the last of them. */
export async function installDependencies(container: Dockerode.Container, install: string, env: Record<string, string>, onLine: (line: string) => void): Promise<void> {
  const tail: string[] = []
  // A hung registry (a proxy that never answers) must not hang the create for ever.
  const result = await execInContainer(container, ['timeout', '-k', '10', String(INSTALL_TIMEOUT_S), 'bash', '-c', install], {
    workingDir: '/app',
    env,
    keep: 0,
    onLine: (_stream, line) => {
      tail.push(line)
      if (tail.length > INSTALL_TAIL_LINES) tail.shift()
      if (line.trim()) onLine(line.trim().slice(0, 200))
    }
  })
  if (result.exitCode === 0) return
  const text = tail.join('\n')
  if (result.exitCode === 124 || result.exitCode === 137) {
    throw new SandlotError('INSTALL_FAILED', `\`${install}\` did not finish within ${INSTALL_TIMEOUT_S / 60} minutes.`, `Is the registry reachable from containers (proxy, extra CA certificates)? The last lines of its output:\n${text}`)
  }
  if (/ENOSPC|no space left on device/i.test(text)) {
    throw new SandlotError('DISK_FULL', 'The dependency install ran out of disk space.', 'Free space for Docker (`docker system prune`), or give Docker Desktop a larger disk.')
  }
  throw new SandlotError('INSTALL_FAILED', `\`${install}\` exited with code ${result.exitCode}.`, `The last lines of its output:\n${text}`)
}
