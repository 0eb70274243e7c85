import { join } from 'node:path'
import type { z } from 'zod'
import { TemplateManifest } from '../contract/template'
import { SandlotError } from '../sandlot-error'
import { readRegularFile } from './no-follow'

export const MANIFEST_FILE = 'template.json'

/** Problems in one file of a template, each naming the file and the field: `template.json: "port": must be …`. */
export class TemplateProblems extends Error {
  readonly problems: string[]

  constructor(problems: string[]) {
    super(problems.join('\n'))
    this.problems = problems
  }
}

/** The one error a bad template gives, wherever it was found: the folder and every problem, one per line. */
export function invalidTemplate(dir: string, problems: string[]): SandlotError {
  return new SandlotError(
    'BAD_REQUEST',
    `The template in ${dir} is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    'Fix the template and try again; a template with problems is never installed.'
  )
}

/** zod issues as `file: "field.path": what is wrong` lines. */
export function describeIssues(file: string, error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${file}: unknown key "${fieldPath([...issue.path, key])}"`)
    const where = issue.path.length > 0 ? `"${fieldPath(issue.path)}": ` : ''
    if (issue.code === 'invalid_key') return [`${file}: ${where}${issue.issues[0]?.message ?? 'is not an allowed key'}`]
    if (issue.code === 'invalid_type' && issue.path.length === 0) return [`${file}: must be a JSON object`]
    return [`${file}: ${where}${issue.message}`]
  })
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('')
}

/** Validates a parsed `template.json`; throws TemplateProblems naming every bad field. */
export function parseTemplateManifest(raw: unknown, file = MANIFEST_FILE): TemplateManifest {
  const parsed = TemplateManifest.safeParse(raw)
  if (!parsed.success) throw new TemplateProblems(describeIssues(file, parsed.error))
  return parsed.data
}

/** The folder's `template.json`, validated; undefined when the folder has none. */
export function readTemplateManifest(dir: string): TemplateManifest | undefined {
  const raw = readJsonFile(join(dir, MANIFEST_FILE), MANIFEST_FILE)
  return raw === undefined ? undefined : parseTemplateManifest(raw)
}

/** Manifests and package.json files are small; a huge one is a mistake, not something to load into memory. */
const MAX_JSON_BYTES = 1024 * 1024

/** A JSON file's value, undefined when it does not exist; unreadable, linked or malformed files are problems. */
export function readJsonFile(path: string, label: string, parse: (text: string) => unknown = JSON.parse, root?: string): unknown {
  let bytes: Buffer | undefined
  try {
    bytes = readRegularFile(path, MAX_JSON_BYTES, root)
  } catch (err) {
    throw new TemplateProblems([`${label}: ${(err as Error).message}`])
  }
  if (bytes === undefined) return undefined
  try {
    return parse(bytes.toString('utf8').replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new TemplateProblems([`${label}: is not valid JSON (${(err as Error).message})`])
  }
}
