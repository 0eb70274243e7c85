import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { Settings, SettingsPatch, type SettingsProblem, type SettingsView } from '../contract'
import { SandlotError } from '../sandlot-error'

/**
 * Reads `settings.json` leniently: a missing file means defaults; each bad or unknown value is reported
 * and its default kept, so one typo never costs a user the rest of their settings.
 */
export function readSettings(file: string): SettingsView {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: Settings.parse({}), problems: [], file }
    return { settings: Settings.parse({}), problems: [{ path: '', message: `not readable as JSON (${(err as Error).message}); all defaults used` }], file }
  }
  if (!isPlainObject(raw)) {
    return { settings: Settings.parse({}), problems: [{ path: '', message: 'must be a JSON object; all defaults used' }], file }
  }
  const problems = unknownKeys(Settings, raw, '')
  const value = structuredClone(raw)
  // Each failing value is removed and parsing retried, so its default applies and the rest survives.
  for (;;) {
    const parsed = Settings.safeParse(value)
    if (parsed.success) return { settings: parsed.data, problems, file }
    for (const issue of parsed.error.issues) {
      problems.push({ path: issue.path.join('.'), message: `${issue.message}; default kept` })
      if (!removePath(value, issue.path)) return { settings: Settings.parse({}), problems, file }
    }
  }
}

/**
 * Applies a validated patch (`null` removes a value) and writes the file atomically. `check` may refuse the
 * resulting settings (by throwing) before anything is written.
 */
export function updateSettings(file: string, patch: unknown, check: (next: Settings) => void = () => {}): SettingsView {
  const parsedPatch = SettingsPatch.safeParse(patch)
  if (!parsedPatch.success) {
    throw new SandlotError('BAD_REQUEST', `Invalid settings: ${z.prettifyError(parsedPatch.error)}`, 'Nothing was changed.')
  }
  const current = readSettings(file).settings as Record<string, unknown>
  const next = mergePatch(current, parsedPatch.data as Record<string, unknown>)
  const settings = Settings.parse(next)
  check(settings)
  const temp = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 })
    renameSync(temp, file)
  } catch (err) {
    rmSync(temp, { force: true })
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

function unknownKeys(schema: z.ZodType, value: unknown, prefix: string): SettingsProblem[] {
  const shape = objectShape(schema)
  if (!shape || !isPlainObject(value)) return []
  const problems: SettingsProblem[] = []
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key
    const childSchema = shape[key]
    if (childSchema === undefined) problems.push({ path, message: 'unknown setting; ignored' })
    else problems.push(...unknownKeys(childSchema, child, path))
  }
  return problems
}

/** The object shape behind optional/default wrappers, if the schema is an object. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType = schema
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType
  return current instanceof z.ZodObject ? (current.shape as Record<string, z.ZodType>) : undefined
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
