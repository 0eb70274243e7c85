import { z } from 'zod'

/** Where a Docker engine is reached, and why that one was chosen (shown to users so they can fix it). */
export const EngineEndpoint = z.object({
  /** Transport: a unix socket, a Windows named pipe, TCP (optionally TLS) or SSH. */
  kind: z.enum(['unix', 'npipe', 'tcp', 'ssh']),
  /** The endpoint as a Docker URL: `unix:///var/run/docker.sock`, `npipe:////./pipe/docker_engine`, `tcp://h:2376`, `ssh://u@h`. */
  url: z.string().min(1),
  /** What selected it: the settings file, `DOCKER_HOST`, the current Docker context, or the platform default. */
  source: z.enum(['settings', 'DOCKER_HOST', 'context', 'default']),
  /** The Docker context name when `source` is `context`. */
  context: z.string().optional(),
  /** TLS material folder for `tcp` with TLS (DOCKER_CERT_PATH or the context's TLS store). */
  tlsCertPath: z.string().optional(),
  tlsVerify: z.boolean().optional()
})
export type EngineEndpoint = z.infer<typeof EngineEndpoint>

export const EngineServerInfo = z.object({
  serverVersion: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  /** e.g. "Docker Desktop" or the engine's host name. */
  name: z.string().optional()
})
export type EngineServerInfo = z.infer<typeof EngineServerInfo>

/**
 * The engine as the UI and CLI show it. `connecting` is the first check; `unreachable` carries what to do
 * and, while the connection retries in the background, when the next attempt is due.
 */
export const EngineStatus = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('connecting'),
    endpoint: EngineEndpoint,
    since: z.string()
  }),
  z.object({
    state: z.literal('connected'),
    endpoint: EngineEndpoint,
    server: EngineServerInfo,
    since: z.string()
  }),
  z.object({
    state: z.literal('unreachable'),
    endpoint: EngineEndpoint,
    message: z.string(),
    hint: z.string(),
    since: z.string(),
    /** Reconnect attempts made since the engine went away. */
    attempt: z.number().int().nonnegative(),
    /** ISO time of the next reconnect attempt, when the connection is watching. */
    nextAttemptAt: z.string().optional()
  })
])
export type EngineStatus = z.infer<typeof EngineStatus>

/** A Docker engine event, reduced to what Sandlot uses. */
export const EngineEvent = z.object({
  type: z.string(),
  action: z.string(),
  id: z.string(),
  attributes: z.record(z.string(), z.string()),
  /** Nanoseconds since the epoch, as Docker reports `timeNano` (a string: it exceeds 2^53). */
  timeNano: z.string()
})
export type EngineEvent = z.infer<typeof EngineEvent>
