import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { EngineEndpoint } from '../contract'
import { parseDockerHost } from './docker-host'
import { SandlotError } from '../sandlot-error'

/** The file access endpoint resolution needs; injectable so tests and other platforms need no real home folder. */
export interface EndpointFiles {
  readFile(path: string): string
  fileExists(path: string): boolean
  join(...parts: string[]): string
}

const ConfigFile = z.object({ currentContext: z.string().optional() })

const ContextMeta = z.object({
  Endpoints: z.object({
    docker: z.object({ Host: z.string(), SkipTLSVerify: z.boolean().optional() }).optional()
  })
})

/** `currentContext` from the docker CLI's `config.json`, if the file exists and sets one. */
export function readCurrentContextName(configDir: string, files: EndpointFiles): string | undefined {
  const file = files.join(configDir, 'config.json')
  if (!files.fileExists(file)) return undefined
  const config = readJson(file, ConfigFile, files, `Fix or remove ${file}`)
  return config.currentContext === '' ? undefined : config.currentContext
}

/**
 * The endpoint of a named context, read from the docker CLI's context store: metadata and TLS material live in
 * folders named by the SHA-256 of the context name.
 */
export function readContextEndpoint(
  configDir: string,
  name: string,
  origin: string,
  files: EndpointFiles
): EngineEndpoint {
  const id = createHash('sha256').update(name).digest('hex')
  const metaFile = files.join(configDir, 'contexts', 'meta', id, 'meta.json')
  const fixHint = `Run \`docker context ls\` to see the contexts, then fix ${origin} or run \`docker context use default\``
  if (!files.fileExists(metaFile)) {
    const message = `Docker context "${name}" (from ${origin}) does not exist: ${metaFile} is missing`
    throw new SandlotError('ENGINE_UNREACHABLE', message, fixHint)
  }
  const docker = readJson(metaFile, ContextMeta, files, fixHint).Endpoints.docker
  if (docker === undefined) {
    const message = `Docker context "${name}" (from ${origin}) has no Docker endpoint in ${metaFile}`
    throw new SandlotError('ENGINE_UNREACHABLE', message, fixHint)
  }
  const tlsDir = files.join(configDir, 'contexts', 'tls', id, 'docker')
  const hasTlsFiles = files.fileExists(tlsDir)
  const skipVerify = docker.SkipTLSVerify === true
  // As the docker CLI: TLS is on when the context stores TLS material or asks to skip verification.
  const tls = hasTlsFiles || skipVerify
  const address = parseDockerHost(docker.Host, `the host of Docker context "${name}" (${metaFile})`, { tls })
  const endpoint: EngineEndpoint = { ...address, source: 'context', context: name }
  if (address.kind !== 'tcp' || !tls) return endpoint
  return hasTlsFiles ? { ...endpoint, tlsCertPath: tlsDir, tlsVerify: !skipVerify } : { ...endpoint, tlsVerify: false }
}

function readJson<T>(file: string, schema: z.ZodType<T>, files: EndpointFiles, hint: string): T {
  let data: unknown
  try {
    data = JSON.parse(files.readFile(file))
  } catch (error) {
    throw new SandlotError('ENGINE_UNREACHABLE', `Cannot read ${file}: ${(error as Error).message}`, hint)
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success) {
    throw new SandlotError('ENGINE_UNREACHABLE', `Unexpected content in ${file}: ${z.prettifyError(parsed.error)}`, hint)
  }
  return parsed.data
}
