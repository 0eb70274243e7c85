import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { EngineEndpoint } from '../contract'
import { readContextEndpoint, readCurrentContextName, type EndpointFiles } from './docker-context'
import { parseDockerHost } from './docker-host'

export interface ResolveEngineEndpointInput {
  env: Readonly<Record<string, string | undefined>>
  platform: NodeJS.Platform
  homedir: string
  /** The engine section of Sandlot's settings: it overrides everything else, as `--host`/`--context` do for docker. */
  settings?: { host?: string; context?: string }
  readFile?: (path: string) => string
  fileExists?: (path: string) => boolean
}

/**
 * Chooses the Docker engine the way the docker CLI does: explicit settings, then `DOCKER_HOST`, then
 * `DOCKER_CONTEXT` or the current context of `config.json`, then the platform's default socket.
 * Throws a SandlotError (ENGINE_UNREACHABLE) naming what to fix when a source is set but unusable.
 */
export function resolveEngineEndpoint(input: ResolveEngineEndpointInput): EngineEndpoint {
  const { env, settings } = input
  const files = endpointFiles(input)
  const configDir = nonEmpty(env.DOCKER_CONFIG) ?? files.join(input.homedir, '.docker')

  if (settings?.host !== undefined) {
    return { ...parseDockerHost(settings.host, 'the engine host in Sandlot settings', { tls: false }), source: 'settings' }
  }
  // The docker CLI's "default" context means "no context": DOCKER_HOST, else the platform default.
  const useContexts = settings?.context !== 'default'
  if (settings?.context !== undefined && useContexts) {
    return readContextEndpoint(configDir, settings.context, 'the engine context in Sandlot settings', files)
  }
  const dockerHost = nonEmpty(env.DOCKER_HOST)
  if (dockerHost !== undefined) return dockerHostEndpoint(dockerHost, env, configDir)
  if (useContexts) {
    const fromEnv = nonEmpty(env.DOCKER_CONTEXT)
    const name = fromEnv ?? readCurrentContextName(configDir, files)
    const origin = fromEnv === undefined ? `currentContext in ${files.join(configDir, 'config.json')}` : 'DOCKER_CONTEXT'
    if (name !== undefined && name !== 'default') return readContextEndpoint(configDir, name, origin, files)
  }
  return platformDefaultEndpoint(input, files)
}

/** `DOCKER_HOST`, with TLS as the docker CLI reads it: any non-empty DOCKER_TLS_VERIFY verifies, DOCKER_TLS only encrypts. */
function dockerHostEndpoint(
  dockerHost: string,
  env: ResolveEngineEndpointInput['env'],
  configDir: string
): EngineEndpoint {
  const verify = nonEmpty(env.DOCKER_TLS_VERIFY) !== undefined
  const tls = verify || nonEmpty(env.DOCKER_TLS) !== undefined
  const address = parseDockerHost(dockerHost, 'DOCKER_HOST', { tls })
  const endpoint: EngineEndpoint = { ...address, source: 'DOCKER_HOST' }
  if (address.kind !== 'tcp' || !tls) return endpoint
  return { ...endpoint, tlsVerify: verify, tlsCertPath: nonEmpty(env.DOCKER_CERT_PATH) ?? configDir }
}

function platformDefaultEndpoint(input: ResolveEngineEndpointInput, files: EndpointFiles): EngineEndpoint {
  if (input.platform === 'win32') return { kind: 'npipe', url: 'npipe:////./pipe/docker_engine', source: 'default' }
  const system = '/var/run/docker.sock'
  const candidates =
    input.platform === 'darwin'
      ? [files.join(input.homedir, '.docker', 'run', 'docker.sock'), system]
      : [system, ...linuxUserSockets(input, files)]
  // With no socket present, name the conventional one so the hint says which engine to start.
  const socket = candidates.find((candidate) => files.fileExists(candidate)) ?? system
  return { kind: 'unix', url: `unix://${socket}`, source: 'default' }
}

/** Rootless dockerd's socket, then Docker Desktop for Linux's. */
function linuxUserSockets(input: ResolveEngineEndpointInput, files: EndpointFiles): string[] {
  const runtimeDir = nonEmpty(input.env.XDG_RUNTIME_DIR)
  const rootless = runtimeDir === undefined ? [] : [files.join(runtimeDir, 'docker.sock')]
  return [...rootless, files.join(input.homedir, '.docker', 'desktop', 'docker.sock')]
}

function endpointFiles(input: ResolveEngineEndpointInput): EndpointFiles {
  // Paths follow the target platform, so Windows resolution is testable anywhere.
  const paths = input.platform === 'win32' ? path.win32 : path.posix
  return {
    readFile: input.readFile ?? ((file) => readFileSync(file, 'utf8')),
    fileExists: input.fileExists ?? existsSync,
    join: (...parts) => paths.join(...parts)
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
