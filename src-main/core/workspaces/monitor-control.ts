import type Dockerode from 'dockerode'
import type { TemplateManifest } from '../contract'
import { SandlotError } from '../sandlot-error'
import { execInContainer } from './container-exec'
import { restartArgs } from './workspace-template'

/** Gives the workspace's monitor its app to run: the template's command, port, readiness and env. */
export async function startApp(container: Dockerode.Container, template: TemplateManifest): Promise<void> {
  const args = ['monitor-cli', 'process', 'start', '--command', template.start!, '--cwd', '/app', '--json']
  if (template.port !== undefined) args.push('--port', String(template.port))
  // The port the preview forwards to, for apps that listen where PORT says (Express, Next…); the template's own PORT wins.
  if (template.port !== undefined && template.env?.PORT === undefined) args.push('-e', `PORT=${template.port}`)
  if (template.readyPattern !== undefined) args.push('--ready-pattern', template.readyPattern)
  for (const [key, value] of Object.entries(template.env ?? {})) args.push('-e', `${key}=${value}`)
  for (const host of template.previewHosts ?? []) args.push('--preview-host', host)
  args.push(...restartArgs(template.restart))
  const result = await execInContainer(container, args, { user: 'monitor' })
  if (result.exitCode !== 0) throw new SandlotError('APP_FAILED', `The monitor refused to start the app: ${monitorMessage(result.stdout || result.stderr)}`)
}

/** Whether the monitor has an app (one started with a command counts, kept by the monitor). */
export async function monitorHasApp(container: Dockerode.Container): Promise<boolean> {
  const result = await execInContainer(container, ['monitor-cli', 'process', 'status', '--json'], { user: 'monitor' })
  try {
    return result.exitCode === 0 && (JSON.parse(result.stdout) as { spec?: unknown }).spec != null
  } catch {
    return false
  }
}

/** The monitor's own error message out of its JSON answer, or the raw text. */
export function monitorMessage(output: string): string {
  try {
    const parsed = JSON.parse(output) as { error?: { message?: unknown } }
    if (typeof parsed.error?.message === 'string') return parsed.error.message
  } catch {
    // not JSON: a shell or exec error
  }
  return output.trim()
}
