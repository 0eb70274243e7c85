import type { ProcessStatus } from './control-protocol'

/**
 * `process status` as text: the same lines for `monitor-cli` inside a container and `sandlot process` on the host
 * (which gets the status as JSON), so restarts and the last exit read alike on both sides. No Node APIs.
 */
export function formatStatus(status: ProcessStatus): string {
  const rows: [string, string][] = [['state', `${status.state} (${status.reason}) since ${status.since}`]]
  if (status.spec) {
    rows.push(['command', status.spec.command])
    if (status.spec.cwd) rows.push(['cwd', status.spec.cwd])
  }
  if (status.appPort) rows.push(['port', `${status.appPort.port}${status.appPort.source === 'found' ? ' (found listening; the spec names none)' : ''}`])
  else if (status.spec?.port !== undefined) rows.push(['port', String(status.spec.port)])
  if (status.pid !== null) rows.push(['pid', String(status.pid)])
  if (status.startedAt) rows.push(['started', status.startedAt])
  if (status.readyAt) rows.push(['ready', status.readyAt])
  const { restarts } = status
  const total = restarts.total !== undefined ? `${restarts.total} automatic since the monitor started, ` : ''
  rows.push(['restarts', `${total}${restarts.inWindow} in the window, attempt ${restarts.attempt}${restarts.nextAt ? `, next at ${restarts.nextAt}` : ''}`])
  if (status.lastExit) {
    const { exitCode, signal, uptimeMs, at } = status.lastExit
    rows.push(['last exit', `${signal ? `signal ${signal}` : `code ${exitCode}`} after ${uptimeMs} ms, at ${at}`])
  }
  if (status.health.consecutiveFailures > 0) rows.push(['health', `${status.health.consecutiveFailures} failed checks in a row`])
  if (status.preview) {
    const { port, listening, connections } = status.preview
    const appPort = status.appPort?.port ?? status.spec?.port
    const to = appPort !== undefined ? `forwards to port ${appPort}` : 'no app port to forward to'
    rows.push(['preview', listening ? `port ${port} ${to}, ${connections} open connection${connections === 1 ? '' : 's'}` : `port ${port} cannot be bound (retrying; see the monitor's stderr)`])
  }
  return rows.map(([label, value]) => `${(label + ':').padEnd(11)}${value}\n`).join('')
}
