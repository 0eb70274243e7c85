import type { EngineEndpoint } from '../contract'
import { localSocketPath } from './docker-host'

/** What went wrong reaching the engine, and what the user can do about it. */
export interface EngineProblem {
  message: string
  hint: string
}

export const START_ENGINE_HINT = 'Docker engine not reachable: start Docker Desktop or dockerd'

interface LowLevelError {
  code?: unknown
  syscall?: unknown
  level?: unknown
  message?: unknown
}

/** Maps a failed engine call (socket, TLS, SSH, HTTP or timeout error) to a message and an actionable hint. */
export function describeEngineError(error: unknown, endpoint: EngineEndpoint): EngineProblem {
  return {
    message: `Docker engine not reachable at ${endpoint.url} (${errorReason(error)})`,
    hint: hintFor(asLowLevel(error), endpoint)
  }
}

/** "connect ENOENT" for socket errors, else the error's own message. */
function errorReason(error: unknown): string {
  const { code, syscall, message } = asLowLevel(error)
  if (typeof code === 'string' && typeof syscall === 'string') return `${syscall} ${code}`
  if (typeof message === 'string' && message !== '') return message.trim()
  return typeof code === 'string' ? code : String(error)
}

function hintFor(error: LowLevelError, endpoint: EngineEndpoint): string {
  const code = typeof error.code === 'string' ? error.code : ''
  if ((code === 'EACCES' || code === 'EPERM') && endpoint.kind === 'unix') {
    return (
      `Permission denied on ${localSocketPath(endpoint)}: add your user to the docker group ` +
      '(sudo usermod -aG docker $USER), then log out and back in'
    )
  }
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    const certificates = endpoint.tlsCertPath ?? 'DOCKER_CERT_PATH'
    return `TLS with ${endpoint.url} failed: check the certificates in ${certificates} and ${configuredBy(endpoint)}`
  }
  // ssh2 tags its errors with a level; authentication and handshake failures are about SSH, not Docker.
  if (endpoint.kind === 'ssh' && typeof error.level === 'string') {
    const target = endpoint.url.slice('ssh://'.length)
    const check = `\`ssh ${target} docker version\` works (key loaded in ssh-agent)`
    return `SSH to ${target} failed: check that ${check} and ${configuredBy(endpoint)}`
  }
  return endpoint.source === 'default' ? START_ENGINE_HINT : `Docker engine not reachable: check ${configuredBy(endpoint)}`
}

/** Where the user changes this endpoint. */
function configuredBy(endpoint: EngineEndpoint): string {
  switch (endpoint.source) {
    case 'settings':
      return `the engine host in Sandlot settings (${endpoint.url}), or clear it to use the local engine`
    case 'DOCKER_HOST':
      return `DOCKER_HOST (${endpoint.url}), or unset it to use the local engine`
    case 'context':
      return (
        `Docker context "${endpoint.context}" (docker context inspect ${endpoint.context}), ` +
        'or run `docker context use default`'
      )
    case 'default':
      return 'that the engine is running'
  }
}

function asLowLevel(error: unknown): LowLevelError {
  return typeof error === 'object' && error !== null ? (error as LowLevelError) : {}
}

/** Whether a failed engine call never reached the engine (socket, TLS, SSH, timeout), as opposed to an API answer. */
export function isTransportError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  if (typeof (error as { statusCode?: unknown }).statusCode === 'number') return false
  const { code, syscall, level } = error as LowLevelError
  return typeof syscall === 'string' || level === 'client-socket' || level === 'client-authentication' ||
    (typeof code === 'string' && /^(E[A-Z]+|ERR_TLS_|UNABLE_TO_|CERT_|DEPTH_ZERO|SELF_SIGNED)/.test(code))
}
