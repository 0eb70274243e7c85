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
    const raw = readJsonFile(join(dir, file), file, parseJsonc)
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
 * JSON with comments, as devcontainer.json is written: `//` and `/* *\/` comments and trailing commas outside
 * strings become spaces, then the rest must be strict JSON. Same length, same line breaks: a position in the
 * parser's error points into the original text.
 */
export function parseJsonc(text: string): unknown {
  return JSON.parse(withoutTrailingCommas(withoutComments(text)))
}

function withoutComments(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (ch === '"') {
      const end = stringEnd(text, i)
      out += text.slice(i, end)
      i = end
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i)
      const stop = end === -1 ? text.length : end
      out += ' '.repeat(stop - i)
      i = stop
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      if (end === -1) throw new SyntaxError('unterminated /* comment')
      out += text.slice(i, end + 2).replace(/[^\n]/g, ' ')
      i = end + 2
    } else {
      out += ch
      i++
    }
  }
  return out
}

function withoutTrailingCommas(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (ch === '"') {
      const end = stringEnd(text, i)
      out += text.slice(i, end)
      i = end
      continue
    }
    if (ch === ',') {
      let next = i + 1
      while (next < text.length && /\s/.test(text[next]!)) next++
      if (text[next] === '}' || text[next] === ']') {
        out += ' '
        i++
        continue
      }
    }
    out += ch
    i++
  }
  return out
}

/** The index just past the string literal that starts at `start`; an unterminated one runs to the end (JSON.parse reports it). */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    if (text[i] === '\\') i += 2
    else if (text[i] === '"') return i + 1
    else i++
  }
  return text.length
}
