import { parseSettingText, settingKeys, settingTakes, settingText, settingValueProblem, type SettingKey } from '../../src-main/core/settings/setting-keys'

export { settingText } from '../../src-main/core/settings/setting-keys'

/** Titles of the groups known today; a group added to the schema later reads as its own name, capitalised. */
const GROUP_TITLES: Record<string, string> = {
  appearance: 'Appearance',
  pool: 'Warm pool',
  image: 'Core image',
  engine: 'Docker engine',
  certificates: 'Certificates',
  terminal: 'Terminals',
  history: 'History',
  network: 'Network',
  sync: 'Sync to a team orchestrator'
}

/** Shown first: what most people change. The rest follow in the schema's order. */
const GROUP_ORDER = ['appearance', 'pool', 'image', 'engine', 'certificates']

export interface SettingGroup {
  id: string
  title: string
  settings: SettingKey[]
}

/** Every setting of the schema, grouped by the first part of its key. */
export function settingGroups(keys: readonly SettingKey[] = settingKeys()): SettingGroup[] {
  const groups = new Map<string, SettingKey[]>()
  for (const setting of keys) groups.set(setting.group, [...(groups.get(setting.group) ?? []), setting])
  const rank = (id: string): number => (GROUP_ORDER.includes(id) ? GROUP_ORDER.indexOf(id) : GROUP_ORDER.length)
  return [...groups.entries()]
    .map(([id, settings]) => ({ id, title: GROUP_TITLES[id] ?? capitalise(id), settings }))
    .sort((a, b) => rank(a.id) - rank(b.id))
}

/** `pool.maxConcurrentCreates` reads as "Max concurrent creates". */
export function settingLabel(setting: SettingKey): string {
  const last = setting.key.split('.').at(-1) ?? setting.key
  return capitalise(last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()).replace(/\bca\b/, 'CA').replace(/^Url\b/, 'URL')
}

/**
 * What typing `text` into a setting's field means: the value to save (`null` clears an optional setting),
 * or the core schema's own message about it.
 */
export function draftValue(setting: SettingKey, text: string): { value: unknown; problem?: string } {
  if (text.trim() === '') {
    if (setting.kind === 'list') return { value: [] }
    if (setting.optional) return { value: null }
    return { value: text, problem: `${settingLabel(setting)} needs a value${setting.default === undefined ? '' : ` (its default is ${String(setting.default)})`}.` }
  }
  const value = parseSettingText(setting, text)
  const problem = settingValueProblem(setting.key, value)
  if (problem === undefined) return { value }
  // A number's bounds in words, as the CLI says them ("takes a whole number from 0 to 16"), not zod's "<=16".
  const numeric = setting.kind === 'integer' || setting.kind === 'number'
  return { value, problem: numeric ? `${settingLabel(setting)} takes ${settingTakes(setting)}.` : sentence(problem) }
}

/** What the field takes, for its help line: "0 to 16", "Default: node:22-bookworm-slim". */
export function settingRange(setting: SettingKey): string | undefined {
  const bounds = setting.min !== undefined && setting.max !== undefined ? `${capitalise(settingTakes(setting) ?? '')}.` : undefined
  const fallback = setting.default === undefined ? (setting.optional ? 'Unset by default.' : undefined) : `Default: ${settingText(setting.default) || 'none'}.`
  return [bounds, fallback].filter(Boolean).join(' ') || undefined
}

/**
 * Groups that only the desktop app acts on (its tray, login item, quit prompt, desktop notifications): shown in
 * the browser too, since they are the same settings.json, but saying so.
 */
const DESKTOP_ONLY_GROUPS = ['desktop', 'notifications']

export function desktopOnly(setting: SettingKey): boolean {
  return DESKTOP_ONLY_GROUPS.includes(setting.group)
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
