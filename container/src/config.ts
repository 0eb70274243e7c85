/** Where the monitor keeps its state inside the container (the `node` user's home). */
export const DEFAULT_SOCKET_PATH = '/home/node/.sandlot/monitor.sock'
export const DEFAULT_SPEC_PATH = '/home/node/.sandlot/process.json'

export interface MonitorConfig {
  /** SANDLOT_MONITOR_SOCKET: the control socket (monitor-cli reads the same variable). */
  socketPath: string
  /** SANDLOT_MONITOR_SPEC: the saved process spec. */
  specPath: string
}

export function monitorConfigFromEnv(env: NodeJS.ProcessEnv): MonitorConfig {
  return {
    socketPath: env.SANDLOT_MONITOR_SOCKET || DEFAULT_SOCKET_PATH,
    specPath: env.SANDLOT_MONITOR_SPEC || DEFAULT_SPEC_PATH
  }
}
