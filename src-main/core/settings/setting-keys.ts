import { z } from 'zod'
import { closest } from '../closest-name'
import { Settings, SettingsPatch } from '../contract/settings'

/**
 * Every setting as a dotted key (`pool.size`), read off the `Settings` schema itself, so a setting added there
 * shows up in `sandlot config` and the Settings view without being listed again. Plain zod: safe for the
 * renderer. A field's `.describe()` text is its description; the keys that predate that have one here.
 */
/** `list`: names, typed separated by commas. */
export type SettingKind = 'integer' | 'number' | 'string' | 'choice' | 'boolean' | 'list'

export interface SettingKey {
  key: string
  /** The first part of the key (`pool`): the views group by it. */
  group: string
  kind: SettingKind
  description?: string
  /** When it takes effect, where that is not "at once". */
  applies?: string
  /** Undefined for a setting that is unset by default. */
  default?: unknown
  /** Unset is a valid value (no default): `config unset` removes it. */
  optional: boolean
  min?: number
  max?: number
  options?: readonly string[]
  /** A secret (`sync.token`): the core hands it out masked; views show a password field. */
  secret?: boolean
}

const APPLIES: Record<string, string> = {
  'pool.size': 'The pool is topped up or trimmed at its next refill (at once in the app and `sandlot serve`).',
  'certificates.extraCaFile': 'The core image is rebuilt with it at the next create or `sandlot image build`.',
  'image.base': 'The core image is rebuilt from it at the next create or `sandlot image build`.',
  'sync.url': 'The app and `sandlot serve` start, stop or redirect sync at once; `sandlot sync status` shows how it goes.',
  'sync.token': 'The app and `sandlot serve` use it at once; `sandlot sync status` shows how it goes.'
}

let cached: SettingKey[] | undefined

/** All settings, in the schema's order. */
export function settingKeys(): SettingKey[] {
  cached ??= leaves(Settings, '')
  return cached
}

export function findSettingKey(key: string): SettingKey | undefined {
  return settingKeys().find((candidate) => candidate.key === key)
}

/** The value a dotted key has in settings (undefined when unset). */
export function settingValue(settings: unknown, key: string): unknown {
  let node: unknown = settings
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined
  return node
}

/** The nested patch that sets one dotted key (`null` removes an optional one). */
export function settingPatch(key: string, value: unknown): Record<string, unknown> {
  return key
    .split('.')
    .reverse()
    .reduce<unknown>((inner, part) => ({ [part]: inner }), value) as Record<string, unknown>
}

/**
 * Text typed by a user (the CLI's argument, a form field) as the value the schema expects. Text that does not
 * read as that type is passed on as text, so the schema's own message says what was wrong.
 */
export function parseSettingText(setting: SettingKey, text: string): unknown {
  const trimmed = text.trim()
  if ((setting.kind === 'integer' || setting.kind === 'number') && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
  if (setting.kind === 'boolean' && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true'
  if (setting.kind === 'list') return trimmed === '' ? [] : trimmed.split(/\s*,\s*/).filter((item) => item !== '')
  return setting.kind === 'string' ? text : trimmed
}

/** What the core would say about this value (its own schema), or undefined when it is accepted. */
export function settingValueProblem(key: string, value: unknown): string | undefined {
  const parsed = SettingsPatch.safeParse(settingPatch(key, value))
  if (parsed.success) return undefined
  const issue = parsed.error.issues[0]
  if (issue === undefined) return 'not a valid value'
  return issue.code === 'unrecognized_keys' ? `unknown setting ${key}` : issue.message
}

/**
 * What a setting takes, in words ("a whole number from 0 to 16"), for the CLI's hint after a refused value and
 * the window's message under its field alike; undefined for free text (its schema's own message says it).
 */
export function settingTakes(setting: SettingKey): string | undefined {
  switch (setting.kind) {
    case 'integer':
    case 'number': {
      const what = setting.kind === 'integer' ? 'a whole number' : 'a number'
      if (setting.min !== undefined && setting.max !== undefined) return `${what} from ${setting.min} to ${setting.max}`
      if (setting.min !== undefined) return `${what} of at least ${setting.min}`
      return what
    }
    case 'choice':
      return `one of: ${setting.options?.join(', ')}`
    case 'boolean':
      return 'true or false'
    case 'list':
      return 'a list, its items separated by commas ("" empties it)'
    default:
      return undefined
  }
}

/**
 * The closest known key to a mistyped one (`pool.sise` → `pool.size`, `size` → `pool.size`), to suggest it.
 */
export function closestSettingKey(key: string): string | undefined {
  const keys = settingKeys().map((s) => s.key)
  const lower = key.toLowerCase()
  const byLastPart = keys.find((k) => k.split('.').at(-1)?.toLowerCase() === lower || k.toLowerCase() === lower)
  if (byLastPart) return byLastPart
  return closest(key, keys)
}

function leaves(schema: z.ZodType, prefix: string): SettingKey[] {
  const shape = objectShape(schema)
  if (shape === undefined) return []
  return Object.entries(shape).flatMap(([name, child]) => {
    const key = prefix ? `${prefix}.${name}` : name
    return objectShape(child) ? leaves(child, key) : [leaf(key, child)]
  })
}

function leaf(key: string, schema: z.ZodType): SettingKey {
  let current: z.ZodType = schema
  let optional = false
  let fallback: unknown
  let description = schema.description
  let secret = z.globalRegistry.get(schema)?.secret === true
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
    if (current instanceof z.ZodDefault) fallback = current.def.defaultValue
    else optional = true
    current = current.unwrap() as z.ZodType
    description ??= current.description
    secret ||= z.globalRegistry.get(current)?.secret === true
  }
  const base: SettingKey = {
    key,
    group: key.split('.')[0] ?? key,
    kind: kindOf(current),
    optional,
    ...(fallback === undefined ? {} : { default: fallback }),
    ...(description === undefined ? {} : { description }),
    ...(APPLIES[key] === undefined ? {} : { applies: APPLIES[key] }),
    ...(secret ? { secret } : {})
  }
  if (current instanceof z.ZodNumber) {
    return { ...base, ...(current.minValue === null || !Number.isFinite(current.minValue) ? {} : { min: current.minValue }), ...(current.maxValue === null || !Number.isFinite(current.maxValue) ? {} : { max: current.maxValue }) }
  }
  if (current instanceof z.ZodEnum) return { ...base, options: current.options.map(String) }
  return base
}

function kindOf(schema: z.ZodType): SettingKind {
  if (schema instanceof z.ZodNumber) return schema.isInt ? 'integer' : 'number'
  if (schema instanceof z.ZodEnum) return 'choice'
  if (schema instanceof z.ZodBoolean) return 'boolean'
  if (schema instanceof z.ZodArray) return 'list'
  return 'string'
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType = schema
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType
  return current instanceof z.ZodObject ? (current.shape as Record<string, z.ZodType>) : undefined
}

/** One problem of settings.json in words: `line 3: appearance.theme: Invalid option…; default kept`. */
export function settingsProblemText(problem: { path: string; message: string; line?: number }): string {
  return `${problem.line ? `line ${problem.line}: ` : ''}${problem.path ? `${problem.path}: ` : ''}${problem.message}`
}

/** A value as one line of text: a list with commas between its items; unset is empty. */
export function settingText(value: unknown): string {
  if (value === undefined || value === null) return ''
  return Array.isArray(value) ? value.join(', ') : String(value)
}
