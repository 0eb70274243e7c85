import { InvalidArgumentError, type Command } from 'commander'
import type { SettingsPatch, SettingsView } from '../../core/contract'
import { SandlotError } from '../../core/sandlot-error'
import {
  closestSettingKey,
  findSettingKey,
  parseSettingText,
  settingKeys,
  settingPatch,
  settingValue,
  settingTakes,
  settingValueProblem,
  settingsProblemText,
  settingText,
  type SettingKey
} from '../../core/settings/setting-keys'
import type { CliContext } from '../cli-context'
import { printResult } from '../output'

/** What `config get|set|unset --json` print: the key, its value now (absent when unset) and its default. */
interface ConfigValue {
  key: string
  value?: unknown
  default?: unknown
  file: string
}

/** `sandlot config`: the settings of settings.json by their dotted keys, checked by the core's own schema. */
export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('read and change the settings (settings.json in the data folder), by dotted keys such as pool.size')

  config
    .command('list')
    .description('every setting with its value, its default, and any problem in settings.json')
    .action(async () => {
      const view = (await ctx.core()).settings()
      const values = Object.fromEntries(settingKeys().map((s) => [s.key, settingValue(view.settings, s.key) ?? null]))
      printResult(ctx, { file: view.file, values, problems: view.problems }, () => listing(view))
    })

  config
    .command('get')
    .description('one setting’s value (empty when unset)')
    .argument('<key>', 'a dotted key, for example image.base', parseKey)
    .action(async (setting: SettingKey) => {
      const view = (await ctx.core()).settings()
      const result = valueOf(view, setting)
      printResult(ctx, result, (r) => settingText(r.value))
    })

  config
    .command('set')
    .description('change a setting; the value is checked first, and nothing is written when it is refused')
    .argument('<key>', 'a dotted key, for example pool.size', parseKey)
    .argument('<value>', 'the new value')
    .action(async (setting: SettingKey, text: string) => {
      const value = parseSettingText(setting, text)
      const problem = settingValueProblem(setting.key, value)
      if (problem !== undefined) {
        throw new SandlotError('BAD_USAGE', `${JSON.stringify(text)} is not a valid ${setting.key}: ${problem}.`, `${expected(setting)} Nothing was changed.`)
      }
      const view = await (await ctx.core()).api.call('settings.update', settingPatch(setting.key, value) as SettingsPatch)
      printResult(ctx, valueOf(view, setting), (r) => `${r.key} = ${settingText(r.value)}${setting.applies ? `\n${setting.applies}` : ''}`)
    })

  config
    .command('unset')
    .description('put a setting back to its default (or remove it, for one without a default)')
    .argument('<key>', 'a dotted key, for example engine.host', parseKey)
    .action(async (setting: SettingKey) => {
      const view = await (await ctx.core()).api.call('settings.update', settingPatch(setting.key, setting.optional ? null : setting.default) as SettingsPatch)
      printResult(ctx, valueOf(view, setting), (r) => (r.value === undefined ? `${r.key} is unset.` : `${r.key} = ${settingText(r.value)} (its default)`))
    })
}

function parseKey(key: string): SettingKey {
  const setting = findSettingKey(key)
  if (setting) return setting
  const near = closestSettingKey(key)
  throw new InvalidArgumentError(`${key} is not a setting.${near ? ` Did you mean ${near}?` : ''} See them all with \`sandlot config list\`.`)
}

function valueOf(view: SettingsView, setting: SettingKey): ConfigValue {
  const value = settingValue(view.settings, setting.key)
  return { key: setting.key, ...(value === undefined ? {} : { value }), ...(setting.default === undefined ? {} : { default: setting.default }), file: view.file }
}

/** What a setting takes, in words, for the hint after a refused value. */
function expected(setting: SettingKey): string {
  const takes = settingTakes(setting)
  return takes === undefined ? (setting.description ?? '') : `${setting.key} takes ${takes}.`
}

function listing(view: SettingsView): string {
  const keys = settingKeys()
  const width = Math.max(...keys.map((s) => s.key.length))
  const lines = [`Settings (${view.file}):`]
  for (const setting of keys) {
    const value = settingValue(view.settings, setting.key)
    const shown = value === undefined ? 'unset' : settingText(value) || 'none'
    const isDefault = JSON.stringify(value) === JSON.stringify(setting.default)
    lines.push(`  ${setting.key.padEnd(width)}  ${shown}${isDefault || setting.default === undefined ? '' : `  (default ${settingText(setting.default) || 'none'})`}`)
  }
  if (view.problems.length > 0) {
    lines.push('', 'Problems in the file (their defaults are used):')
    for (const problem of view.problems) lines.push(`  ${settingsProblemText(problem)}`)
  }
  lines.push('', 'Change one with `sandlot config set KEY VALUE`; `sandlot config unset KEY` puts back its default.')
  return lines.join('\n')
}
