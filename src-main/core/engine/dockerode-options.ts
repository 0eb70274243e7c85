import { readFileSync } from 'node:fs'
import { Agent } from 'node:https'
import path from 'node:path'
import type Dockerode from 'dockerode'
import type { EngineEndpoint } from '../contract'
import { localSocketPath } from './docker-host'
import { SandlotError } from '../sandlot-error'

/** dockerode's options plus the ones its types omit but docker-modem reads. */
export type DockerodeOptions = Dockerode.DockerOptions & { agent?: Agent; pathPrefix?: string }

/**
 * dockerode options for an endpoint. Every connection key is set, even to undefined, because docker-modem
 * merges defaults from DOCKER_HOST/DOCKER_CERT_PATH in process.env under the options it is given, which would
 * otherwise redirect an endpoint chosen from settings or a context. No API version: the engine picks its own.
 */
export function toDockerodeOptions(
  endpoint: EngineEndpoint,
  env: Readonly<Record<string, string | undefined>> = process.env
): DockerodeOptions {
  const none: DockerodeOptions = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    username: undefined,
    protocol: 'http',
    ca: undefined,
    cert: undefined,
    key: undefined,
    agent: undefined,
    timeout: undefined,
    pathPrefix: '/'
  }
  if (endpoint.kind === 'unix' || endpoint.kind === 'npipe') return { ...none, socketPath: localSocketPath(endpoint) }
  const url = new URL(endpoint.url)
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (endpoint.kind === 'ssh') {
    return {
      ...none,
      protocol: 'ssh',
      host: hostname,
      port: url.port === '' ? 22 : Number(url.port),
      username: url.username === '' ? undefined : decodeURIComponent(url.username),
      sshOptions: { agent: env.SSH_AUTH_SOCK }
    }
  }
  const tcp = { ...none, host: hostname, port: Number(url.port) }
  return endpoint.tlsVerify === undefined ? tcp : { ...tcp, protocol: 'https', agent: tlsAgent(endpoint) }
}

/** TLS settings live on an agent: its options win over the request's, and it is the only way to skip verification. */
function tlsAgent(endpoint: EngineEndpoint): Agent {
  const dir = endpoint.tlsCertPath
  return new Agent({
    ca: dir === undefined ? undefined : readOptional(path.join(dir, 'ca.pem')),
    cert: dir === undefined ? undefined : readOptional(path.join(dir, 'cert.pem')),
    key: dir === undefined ? undefined : readOptional(path.join(dir, 'key.pem')),
    rejectUnauthorized: endpoint.tlsVerify !== false
  })
}

/** As the docker CLI, a missing TLS file is skipped (a server-only CA, or no client certificate), not an error. */
function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new SandlotError(
      'ENGINE_UNREACHABLE',
      `Cannot read the TLS file ${file}: ${(error as Error).message}`,
      'Fix the file permissions, or point DOCKER_CERT_PATH / the Docker context at readable certificates'
    )
  }
}
