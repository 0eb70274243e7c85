import { EnvName } from '../../../container/src/protocol'
import { SandlotError } from '../sandlot-error'

/**
 * `--env-file`: one `NAME=value` a line, as docker's --env-file reads it; blank lines and `#` comments are
 * skipped, `export ` before a name is allowed, and one pair of matching quotes around a value is removed
 * (as .env files written for dotenv have them). Every problem names its line.
 */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {}
  const problems: string[] = []
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = raw.trim()
      if (line === '' || line.startsWith('#')) return
      const at = `${file}:${index + 1}`
      const entry = parseEnvAssignment(line.replace(/^export\s+/, ''))
      if ('problem' in entry) problems.push(`${at}: ${entry.problem}`)
      else env[entry.name] = entry.value
    })
  if (problems.length > 0) throw new SandlotError('BAD_USAGE', `${file} is not a valid environment file:\n${problems.map((p) => `  ${p}`).join('\n')}`, 'Write one NAME=value a line; names are letters, digits and _, not starting with a digit.')
  return env
}

/** `NAME=value` (`--env` and each line of an env file): the name checked, the value kept as written but for one pair of quotes. */
export function parseEnvAssignment(text: string): { name: string; value: string } | { problem: string } {
  const eq = text.indexOf('=')
  if (eq <= 0) return { problem: `"${text.slice(0, 40)}" is not NAME=value` }
  const name = text.slice(0, eq).trim()
  if (!EnvName.safeParse(name).success) return { problem: `"${name.slice(0, 40)}" is not a valid variable name (letters, digits and _, not starting with a digit)` }
  let value = text.slice(eq + 1)
  if (value.includes('\0')) return { problem: `the value of ${name} contains a NUL character` }
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1)
  return { name, value }
}
