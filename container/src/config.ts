/**
 * Where the monitor keeps its state inside the container: folders only root (the monitor's user in the image)
 * can enter, so the app (`node`) can neither talk to the monitor nor change what it resumes.
 */
export const DEFAULT_SOCKET_PATH = '/run/sandlot/monitor.sock'
export const DEFAULT_SPEC_PATH = '/var/lib/sandlot/process.json'
/** The container port the host publishes for the app's preview (the Dockerfile EXPOSEs it). */
export const DEFAULT_PREVIEW_PORT = 4700

export interface MonitorConfig {
  /** SANDLOT_MONITOR_SOCKET: the control socket (monitor-cli reads the same variable). */
  socketPath: string
  /** SANDLOT_MONITOR_SPEC: the saved process spec. */
  specPath: string
  /**
   * SANDLOT_PREVIEW_PORT: the preview port, forwarded to the app's port (see PROTOCOL.md
   * "Preview port"). 0 binds any free port (tests).
   */
  previewPort: number
}

/** Throws on a malformed SANDLOT_PREVIEW_PORT: a wrong port would publish nothing, silently. */
export function monitorConfigFromEnv(env: NodeJS.ProcessEnv): MonitorConfig {
  return {
    socketPath: env.SANDLOT_MONITOR_SOCKET || DEFAULT_SOCKET_PATH,
    specPath: env.SANDLOT_MONITOR_SPEC || DEFAULT_SPEC_PATH,
    previewPort: previewPortFrom(env.SANDLOT_PREVIEW_PORT)
  }
}

function previewPortFrom(value: string | undefined): number {
  const text = value?.trim() ?? ''
  if (text === '') return DEFAULT_PREVIEW_PORT
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) {
    throw new Error(`SANDLOT_PREVIEW_PORT must be a TCP port (1-65535, or 0 for any free port), not ${JSON.stringify(value)}`)
  }
  return Number(text)
}
