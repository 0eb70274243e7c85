import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser'
import { join } from 'node:path'
import { z } from 'zod'
import { EnvName } from '../../../container/src/protocol'
import { describeIssues, readJsonFile, TemplateProblems } from './template-manifest'

/** Where the Dev Containers spec looks, in its order. */
const DEVCONTAINER_FILES = ['.devcontainer/devcontainer.json', '.devcontainer.json']

/** Sandlot runs every workspace as this user; see container/Dockerfile. */
const SANDLOT_USER = 'node'

const FORWARD_PORT = 'must be a port from 1 to 65535 or a "host:port" string'

const Command = z.union([z.string().min(1), z.array(z.string()).min(1)], { error: 'must be a command: a string or an array of arguments' })

/** The part of devcontainer.json that maps onto a template; every other key (image, features, …) is ignored. */
const Devcontainer = z.looseObject({
  postCreateCommand: z
    .union([Command, z.record(z.string(), Command)], { error: 'must be a string, an array of arguments, or an object of named commands' })
    .optional(),
  forwardPorts: z
    .array(z.union([z.number({ error: FORWARD_PORT }).int().min(1).max(65_535), z.string()], { error: FORWARD_PORT }), { error: 'must be an array of ports' })
    .optional(),
  containerEnv: z.record(EnvName, z.string({ error: 'must be a string' }), { error: 'must be an object of NAME: "value" pairs' }).optional(),
  remoteUser: z.string({ error: 'must be a string' }).optional()
})

/** What a devcontainer.json contributes to an inferred manifest, and which key each value came from. */
export interface DevcontainerMapping {
  file: string
  install?: string
  port?: number
  env?: Record<string, string>
  origins: { install?: string; port?: string; env?: string }
}

/** The folder's devcontainer.json mapped onto template fields; undefined when it has none. */
export function readDevcontainer(dir: string): DevcontainerMapping | undefined {
  for (const file of DEVCONTAINER_FILES) {
    // Read from inside the template only: a linked .devcontainer is refused before anything is read through it.
    const raw = readJsonFile(join(dir, file), file, parseJsonc, dir)
    if (raw !== undefined) return mapDevcontainer(raw, file)
  }
  return undefined
}

export function mapDevcontainer(raw: unknown, file: string): DevcontainerMapping {
  const parsed = Devcontainer.safeParse(raw)
  if (!parsed.success) throw new TemplateProblems(describeIssues(file, parsed.error))
  const config = parsed.data
  if (config.remoteUser !== undefined && config.remoteUser !== SANDLOT_USER) {
    throw new TemplateProblems([
      `${file}: "remoteUser" is "${config.remoteUser}", but Sandlot runs every workspace as the user node (uid 1000): remove remoteUser or set it to "node"`
    ])
  }
  const mapping: DevcontainerMapping = { file, origins: {} }
  if (config.postCreateCommand !== undefined) {
    mapping.install = commandLine(config.postCreateCommand)
    mapping.origins.install = `${file} postCreateCommand`
  }
  // Numbers are this container's ports; strings name other services ("db:5432") and do not map.
  const port = config.forwardPorts?.find((p): p is number => typeof p === 'number')
  if (port !== undefined) {
    mapping.port = port
    mapping.origins.port = `${file} forwardPorts`
  }
  if (config.containerEnv !== undefined && Object.keys(config.containerEnv).length > 0) {
    mapping.env = config.containerEnv
    mapping.origins.env = `${file} containerEnv`
  }
  return mapping
}

/** One shell command line: an argument array is quoted; named commands (run in parallel by VS Code) run in turn. */
function commandLine(command: string | string[] | Record<string, string | string[]>): string {
  if (typeof command === 'string') return command
  if (Array.isArray(command)) return command.map(shellQuote).join(' ')
  return Object.values(command)
    .map((c) => (typeof c === 'string' ? c : c.map(shellQuote).join(' ')))
    .join(' && ')
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}

/**
 * JSON with comments, as devcontainer.json is written (VS Code's own parser): comments and trailing commas
 * allowed, anything else an error that says where.
 */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = []
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false })
  const first = errors[0]
  if (first) throw new SyntaxError(`${printParseErrorCode(first.error)} at position ${first.offset}`)
  return value
}
