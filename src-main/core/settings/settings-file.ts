import { readFileSync } from 'node:fs'
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser'
import { z } from 'zod'
import { Settings, SettingsPatch, type SettingsProblem, type SettingsView } from '../contract'
import { SandlotError } from '../sandlot-error'
import { writeFileAtomic } from '../data/write-file-atomic'
import { objectShape } from './setting-keys'

/**
 * Reads `settings.json` leniently: a missing file means defaults; each bad or unknown value is reported (with
 * its line) and its default kept, so one typo never costs a user the rest of their settings. Keys may be
 * written dotted, as the README and `sandlot config` spell them (`{"image.base": "…"}`).
 */
export function readSettings(file: string): SettingsView {
  return readSettingsFile(file).view
}

/** The settings as read, and the problem that made the whole file unusable (not readable, not JSON), if one did. */
function readSettingsFile(file: string): { view: SettingsView; unreadable?: SettingsProblem } {
  const whole = (problem: SettingsProblem) => ({ view: { settings: Settings.parse({}), problems: [problem], file }, unreadable: problem })
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { view: { settings: Settings.parse({}), problems: [], file } }
    return whole({ path: '', message: `not readable (${(err as Error).message}); all defaults used` })
  }
  const located = locate(text)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    const { syntaxError } = located
    const what = syntaxError ? `${syntaxError.what} at line ${syntaxError.line}, column ${syntaxError.column}` : ((err as Error).message.split('\n')[0] ?? '')
    return whole({ path: '', message: `${UNREADABLE} (${what}); all defaults used`, ...(syntaxError ? { line: syntaxError.line } : {}) })
  }
  if (!isPlainObject(raw)) return whole({ path: '', message: `${UNREADABLE}: it must be a JSON object; all defaults used`, ...located.line([]) })
  const value = expandDottedKeys(raw)
  const problems: SettingsProblem[] = unknownKeys(Settings, value, []).map((path) => ({ path: path.join('.'), message: 'unknown setting; ignored', ...located.line(path) }))
  // Each failing value is removed and parsing retried, so its default applies and the rest survives.
  for (;;) {
    const parsed = Settings.safeParse(value)
    if (parsed.success) return { view: { settings: parsed.data, problems, file } }
    for (const issue of parsed.error.issues) {
      problems.push({ path: issue.path.join('.'), message: `${issue.message}; default kept`, ...located.line(issue.path) })
      if (!removePath(value, issue.path)) return { view: { settings: Settings.parse({}), problems, file } }
    }
  }
}

const UNREADABLE = 'not readable as JSON'

/**
 * Applies a validated patch (`null` removes a value) and writes the file atomically. `check` may refuse the
 * resulting settings (by throwing) before anything is written.
 */
export function updateSettings(file: string, patch: unknown, check: (next: Settings) => void = () => {}): SettingsView {
  const parsedPatch = SettingsPatch.safeParse(patch)
  if (!parsedPatch.success) {
    throw new SandlotError('BAD_REQUEST', `Invalid settings: ${z.prettifyError(parsedPatch.error)}`, 'Nothing was changed.')
  }
  const { view: read, unreadable } = readSettingsFile(file)
  // A file that cannot be read, or is not JSON at all, would be replaced wholesale: the user fixes (or removes) it first.
  if (unreadable) {
    throw new SandlotError('BAD_REQUEST', `${file}${unreadable.line ? ` (line ${unreadable.line})` : ''} is ${unreadable.message}.`, `${unreadable.line ? 'Fix that line' : 'Fix it (its permissions, or what it is)'} or delete the file (all settings then start from their defaults); nothing was changed.`)
  }
  const current = read.settings as Record<string, unknown>
  const next = mergePatch(current, parsedPatch.data as Record<string, unknown>)
  const settings = Settings.parse(next)
  check(settings)
  try {
    writeFileAtomic(file, `${JSON.stringify(settings, null, 2)}\n`)
  } catch (err) {
    throw new SandlotError('DATA_FOLDER', `Cannot save the settings to ${file}: ${(err as Error).message}`, 'Check that the data folder is writable and the disk is not full.', {
      cause: err
    })
  }
  return { settings, problems: [], file }
}

function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else if (isPlainObject(value)) out[key] = mergePatch(isPlainObject(out[key]) ? out[key] : {}, value)
    else if (value !== undefined) out[key] = value
  }
  return out
}

function unknownKeys(schema: z.ZodType, value: unknown, prefix: string[]): string[][] {
  const shape = objectShape(schema)
  if (!shape || !isPlainObject(value)) return []
  return Object.entries(value).flatMap(([key, child]) => {
    const childSchema = shape[key]
    return childSchema === undefined ? [[...prefix, key]] : unknownKeys(childSchema, child, [...prefix, key])
  })
}

/** `{"image.base": "x"}` as `{"image": {"base": "x"}}`; a nested value of the same key is merged with it. */
function expandDottedKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(raw)
  for (const [key, value] of Object.entries(raw)) {
    const parts = key.split('.')
    if (parts.length < 2 || parts.some((part) => part === '')) continue
    delete out[key]
    let node = out
    for (const part of parts.slice(0, -1)) {
      if (!isPlainObject(node[part])) node[part] = {}
      node = node[part] as Record<string, unknown>
    }
    node[parts.at(-1)!] = value
  }
  return out
}

/**
 * Where things are in the file's text: the line of a syntax error, and of a (possibly dotted) key. The text is
 * parsed for locations only when a problem asks for one (most reads have none).
 */
function locate(text: string): { readonly syntaxError: { what: string; line: number; column: number } | undefined; line: (path: readonly PropertyKey[]) => { line?: number } } {
  let parsed: { tree: Node | undefined; errors: ParseError[] } | undefined
  const parse = () => {
    if (!parsed) {
      const errors: ParseError[] = []
      parsed = { tree: parseTree(text, errors, { disallowComments: true, allowTrailingComma: false }), errors }
    }
    return parsed
  }
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length
  const line = (path: readonly PropertyKey[]): { line?: number } => {
    const { tree } = parse()
    if (tree === undefined) return {}
    const keys = path.map(String)
    // The key as written: nested, or dotted at the top (`"image.base"`), else its nearest written parent.
    for (let length = keys.length; length >= 0; length--) {
      const node = findNodeAtLocation(tree, keys.slice(0, length)) ?? (length > 1 ? findNodeAtLocation(tree, [keys.slice(0, length).join('.')]) : undefined)
      if (node) return { line: lineOf(node.parent?.type === 'property' ? node.parent.offset : node.offset) }
    }
    return {}
  }
  return {
    get syntaxError() {
      const first = parse().errors[0]
      if (first === undefined) return undefined
      // "PropertyNameExpected" reads as "property name expected".
      const what = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
      const lineStart = text.lastIndexOf('\n', first.offset - 1) + 1
      return { what, line: lineOf(first.offset), column: first.offset - lineStart + 1 }
    },
    line
  }
}

function removePath(value: Record<string, unknown>, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false
  let node: unknown = value
  for (const key of path.slice(0, -1)) node = isPlainObject(node) ? node[key as string] : undefined
  if (!isPlainObject(node)) return false
  return delete node[path.at(-1) as string]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
