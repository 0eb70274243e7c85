import { describe, expect, it } from 'vitest'
import { Settings, syncUrlProblem, type SettingsPatch } from '../contract'
import { maskSecrets, SECRET_MASK, withoutMaskedSecrets } from './secret-settings'
import { findSettingKey } from './setting-keys'

const view = (sync: Record<string, string>) => ({ settings: Settings.parse({ sync }), problems: [], file: '/x/settings.json' })

describe('secret settings', () => {
  it('marks sync.token secret, read off the schema, and nothing else', () => {
    expect(findSettingKey('sync.token')?.secret).toBe(true)
    expect(findSettingKey('sync.url')?.secret).toBeUndefined()
  })

  it('masks a set token and leaves an unset one unset, the rest as it is', () => {
    const masked = maskSecrets(view({ url: 'https://o.example', token: 'sl_secret_0123456789' }))
    expect(masked.settings.sync).toEqual({ url: 'https://o.example', token: SECRET_MASK })
    expect(JSON.stringify(masked)).not.toContain('sl_secret')
    expect(maskSecrets(view({ url: 'https://o.example' })).settings.sync).toEqual({ url: 'https://o.example' })
  })

  it('drops a token sent back as the mask from a patch, and keeps a new one', () => {
    expect(withoutMaskedSecrets({ sync: { url: 'https://o.example', token: SECRET_MASK } } as SettingsPatch)).toEqual({ sync: { url: 'https://o.example' } })
    expect(withoutMaskedSecrets({ sync: { token: 'sl_new_0123456789' } } as SettingsPatch)).toEqual({ sync: { token: 'sl_new_0123456789' } })
    expect(withoutMaskedSecrets({ pool: { size: 2 } } as SettingsPatch)).toEqual({ pool: { size: 2 } })
  })
})

describe('sync.url', () => {
  it('takes https:// anywhere and http:// only to this machine', () => {
    for (const ok of ['https://sandlot.example.com', 'https://10.0.0.5:8443/sandlot', 'http://127.0.0.1:7070', 'http://localhost:7070', 'http://[::1]:7070', 'http://127.0.0.2']) {
      expect(syncUrlProblem(ok), ok).toBeUndefined()
    }
    expect(syncUrlProblem('http://sandlot.example.com')).toMatch(/must be https:\/\//)
    expect(syncUrlProblem('http://localhost.example.com')).toMatch(/must be https:\/\//)
    expect(syncUrlProblem('ws://127.0.0.1')).toMatch(/must be an https:\/\/ URL/)
    expect(syncUrlProblem('sandlot.example.com')).toMatch(/not a URL/)
    expect(syncUrlProblem('https://user:pw@sandlot.example.com')).toMatch(/no user or password/)
    expect(syncUrlProblem('https://sandlot.example.com/?token=x')).toMatch(/no \?query/)
  })
})
