import { useNavigate } from '../app/navigation-context'
import { useSettings } from '../app/settings-context'
import { Icon } from '../components/Icon'
import { settingsProblemText } from '../../src-main/core/settings/setting-keys'

/**
 * settings.json has values that do not apply: which file, which lines, and that their defaults are used
 * meanwhile. Shown above every view until the file is fixed (the core follows the file, so it goes by itself).
 */
export function SettingsBanner({ onSettingsPage }: { onSettingsPage: boolean }) {
  const navigate = useNavigate()
  const { view } = useSettings()
  const problems = view?.problems ?? []
  const file = view?.file
  if (problems.length === 0 || file === undefined) return null
  return (
    <div className="banner banner--settings" role="status" data-testid="settings-banner">
      <Icon name="alert" className="banner__icon" />
      <div className="banner__text">
        <strong>
          {problems.length === 1 ? 'A setting' : `${problems.length} settings`} in <span className="mono">{file}</span> {problems.length === 1 ? 'does' : 'do'} not apply.
        </strong>
        <ul className="banner__list">
          {problems.map((problem, index) => (
            <li key={index} className="mono">
              {settingsProblemText(problem)}
            </li>
          ))}
        </ul>
      </div>
      {!onSettingsPage && (
        <button type="button" className="button button--small" onClick={() => navigate('settings')}>
          Open Settings
        </button>
      )}
    </div>
  )
}
