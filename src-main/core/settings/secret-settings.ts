import type { SettingsPatch, SettingsView } from '../contract'
import { settingKeys, settingPatch, settingValue } from './setting-keys'

/** What a set secret reads as outside the core: the CLI, the window and the API never see the token itself. */
export const SECRET_MASK = '********'

const secretKeys = (): string[] => settingKeys().filter((s) => s.secret === true).map((s) => s.key)

/** The settings as every face shows them: each secret that is set replaced by the mask. */
export function maskSecrets(view: SettingsView): SettingsView {
  let settings = view.settings
  for (const key of secretKeys()) {
    if (settingValue(settings, key) === undefined) continue
    settings = merge(settings, settingPatch(key, SECRET_MASK)) as SettingsView['settings']
  }
  return { ...view, settings }
}

/** A patch that sends a secret back as the mask (a form saved whole) leaves the secret as it is. */
export function withoutMaskedSecrets(patch: SettingsPatch): SettingsPatch {
  let out: Record<string, unknown> = patch
  for (const key of secretKeys()) {
    if (settingValue(out, key) !== SECRET_MASK) continue
    const [group, field] = key.split('.') as [string, string]
    const { [field]: _masked, ...rest } = out[group] as Record<string, unknown>
    out = { ...out, [group]: rest }
  }
  return out as SettingsPatch
}

function merge(target: unknown, patch: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = { ...(target as Record<string, unknown>) }
  for (const [key, value] of Object.entries(patch)) {
    out[key] = typeof value === 'object' && value !== null ? merge(out[key] ?? {}, value as Record<string, unknown>) : value
  }
  return out
}
