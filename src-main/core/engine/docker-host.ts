import type { EngineEndpoint } from '../contract'
import { SandlotError } from '../sandlot-error'

export type EngineAddress = Pick<EngineEndpoint, 'kind' | 'url'>

const EXAMPLES = 'unix:///var/run/docker.sock, npipe:////./pipe/docker_engine, tcp://host:2376 or ssh://user@host'

/**
 * Parses a Docker host URL the way the docker CLI does: a bare `host:port` means TCP, and a TCP address without
 * a port gets 2375 (2376 with TLS). `origin` names where the value came from, so the error says what to fix.
 */
export function parseDockerHost(value: string, origin: string, options: { tls: boolean }): EngineAddress {
  const trimmed = value.trim()
  const fail = (reason: string): never => {
    throw new SandlotError(
      'ENGINE_UNREACHABLE',
      `${origin.charAt(0).toUpperCase()}${origin.slice(1)} is not a usable Docker URL: "${value}" (${reason})`,
      `Fix ${origin}: use a URL such as ${EXAMPLES}`
    )
  }
  if (trimmed === '') return fail('it is empty')
  const separator = trimmed.indexOf('://')
  const scheme = separator < 0 ? 'tcp' : trimmed.slice(0, separator).toLowerCase()
  const rest = separator < 0 ? trimmed : trimmed.slice(separator + 3)
  switch (scheme) {
    case 'unix':
    case 'npipe':
      if (rest === '') return fail('it names no socket path')
      return { kind: scheme, url: `${scheme}://${rest}` }
    case 'tcp':
      return { kind: 'tcp', url: parseTcpAddress(rest, options.tls, fail) }
    case 'ssh':
      return { kind: 'ssh', url: parseSshAddress(trimmed, fail) }
    default:
      return fail(`unsupported scheme "${scheme}://"`)
  }
}

function parseTcpAddress(rest: string, tls: boolean, fail: (reason: string) => never): string {
  const parsed = parseUrl(`tcp://${rest}`, fail)
  if (parsed.hostname === '') fail('it names no host')
  if (parsed.pathname !== '' && parsed.pathname !== '/') fail('a TCP address takes no path')
  const port = parsed.port === '' ? (tls ? '2376' : '2375') : parsed.port
  return `tcp://${parsed.hostname}:${port}`
}

function parseSshAddress(url: string, fail: (reason: string) => never): string {
  const parsed = parseUrl(url, fail)
  if (parsed.hostname === '') fail('it names no host')
  return url
}

function parseUrl(url: string, fail: (reason: string) => never): URL {
  try {
    return new URL(url)
  } catch {
    return fail('not a valid URL')
  }
}

/** The local path of a `unix://` or `npipe://` endpoint, as Node's net module takes it. */
export function localSocketPath(endpoint: EngineAddress): string {
  return endpoint.url.slice(`${endpoint.kind}://`.length)
}
