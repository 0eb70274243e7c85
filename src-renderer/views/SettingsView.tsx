import { useId, useState, useSyncExternalStore, type FormEvent } from 'react'
import type { SettingsPatch } from '../../src-main/core/contract'
import { settingPatch, settingValue, type SettingKey } from '../../src-main/core/settings/setting-keys'
import { useBridge } from '../app/bridge-context'
import { useSettings } from '../app/settings-context'
import { callError, isLinkError, type CallError } from '../bridge/bridge'
import { ErrorDetails } from '../components/ErrorDetails'
import { HintText } from '../components/HintText'
import { Icon } from '../components/Icon'
import { capitalise, desktopOnly, draftValue, settingGroups, settingLabel, settingRange, settingText } from './settings-model'
import { settingDrafts } from './settings-drafts'
import { PageHeader } from '../components/PageHeader'
import { SyncStatusPanel } from './SyncStatusPanel'

/**
 * Every setting, read off the settings schema (a setting added there shows up here), checked as typed with the
 * core's own rules and saved through the core, which applies it at once where it can.
 */
export function SettingsView() {
  const { view, error, update } = useSettings()
  return (
    <div className="page">
      <PageHeader
        title="Settings"
        lead={<HintText text={`Kept in ${view ? `\`${view.file}\`` : 'settings.json in the data folder'}; \`sandlot config\` changes the same file.`} />}
      />
      {view === undefined ? (
        error ? (
          <ErrorDetails error={error} title="The settings could not be read." />
        ) : (
          <section className="card settings-group" aria-busy="true" aria-label="Loading settings">
            <div className="skeleton skeleton--title" />
            <div className="skeleton skeleton--line" />
          </section>
        )
      ) : (
        <>
          <UnsavedEdits />
          {settingGroups().map((group) => (
            <section className="card settings-group" key={group.id} aria-labelledby={`settings-${group.id}`} data-testid={`settings-group-${group.id}`}>
              <h2 className="card__title" id={`settings-${group.id}`}>
                {group.title}
              </h2>
              {group.settings.map((setting) => (
                <SettingField key={setting.key} setting={setting} value={settingValue(view.settings, setting.key)} onSave={(value) => update(settingPatch(setting.key, value) as SettingsPatch)} />
              ))}
              {group.id === 'sync' && <SyncStatusPanel />}
            </section>
          ))}
        </>
      )}
    </div>
  )
}

type SaveState = { state: 'idle' } | { state: 'saving' } | { state: 'saved' } | { state: 'refused'; error: CallError }

interface FieldProps {
  setting: SettingKey
  value: unknown
  onSave: (value: unknown) => Promise<unknown>
}

function SettingField(props: FieldProps) {
  return props.setting.kind === 'choice' || props.setting.kind === 'boolean' ? <ChoiceField {...props} /> : <TextField {...props} />
}

/** Saves as its value is picked: there is nothing to type wrong. */
function ChoiceField({ setting, value, onSave }: FieldProps) {
  const id = useId()
  const [save, setSave] = useState<SaveState>({ state: 'idle' })
  // Shown as chosen while it saves; a refusal puts back the saved value.
  const [picked, setPicked] = useState<string>()
  const options = setting.kind === 'boolean' ? ['true', 'false'] : (setting.options ?? [])
  const shown = picked ?? settingText(value)
  const pick = (option: string): void => {
    if (option === shown) return
    setPicked(option)
    setSave({ state: 'saving' })
    onSave(setting.kind === 'boolean' ? option === 'true' : option).then(
      () => {
        setPicked(undefined)
        setSave({ state: 'saved' })
      },
      (err: unknown) => {
        setPicked(undefined)
        setSave(refusal(err))
      }
    )
  }
  return (
    <div className="setting" data-testid="setting" data-key={setting.key}>
      <div className="setting__text">
        <span className="field__label" id={`${id}-label`}>
          {settingLabel(setting)} <span className="setting__key mono">{setting.key}</span>
        </span>
        {setting.description && <p className="setting__description"><HintText text={setting.description} /></p>}
        <DesktopOnlyNote setting={setting} />
      </div>
      <div className="segmented" role="radiogroup" aria-labelledby={`${id}-label`}>
        {options.map((option) => (
          <label key={option} className="segmented__option">
            <input type="radio" name={id} value={option} checked={shown === option} onChange={() => pick(option)} />
            <span>{setting.kind === 'boolean' ? (option === 'true' ? 'On' : 'Off') : capitalise(option)}</span>
          </label>
        ))}
      </div>
      <SaveLine setting={setting} save={save} />
    </div>
  )
}

/**
 * Checked as typed; saved when the field is left (blur) or on Enter, when it is valid and changed, as desktop
 * settings panes do. A secret waits for its Save (a half-typed token must not be sent). An edit not saved
 * (invalid, refused, or a secret) is kept in `settingDrafts`: back on the page, it is there with its message.
 */
function TextField({ setting, value, onSave }: FieldProps) {
  const id = useId()
  const saved = settingText(value)
  const [draft, setDraftState] = useState<string | undefined>(() => settingDrafts.get(setting.key))
  const setDraft = (text: string | undefined): void => {
    settingDrafts.set(setting.key, text)
    setDraftState(text)
  }
  const [save, setSave] = useState<SaveState>({ state: 'idle' })
  const text = draft ?? saved
  const dirty = draft !== undefined && draft !== saved
  const checked = dirty ? draftValue(setting, text) : undefined
  const problem = checked?.problem
  const commit = (): void => {
    if (!dirty || checked === undefined || problem !== undefined || save.state === 'saving') return
    setSave({ state: 'saving' })
    // Settles after the page is left too: the kept draft goes once saved, and stays when refused.
    onSave(checked.value).then(
      () => {
        setDraft(undefined)
        setSave({ state: 'saved' })
      },
      (err: unknown) => setSave(refusal(err))
    )
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    commit()
  }
  const numeric = setting.kind === 'integer' || setting.kind === 'number'
  const help = problem ?? (dirty && save.state === 'idle' ? (setting.secret ? 'Not saved yet: press Save.' : 'Not saved yet: saved when you leave the field or press Enter.') : settingRange(setting))
  return (
    <form className="setting" data-testid="setting" data-key={setting.key} onSubmit={submit}>
      <div className="setting__text">
        <label className="field__label" htmlFor={id}>
          {settingLabel(setting)} <span className="setting__key mono">{setting.key}</span>
        </label>
        {setting.description && <p className="setting__description"><HintText text={setting.description} /></p>}
        <DesktopOnlyNote setting={setting} />
      </div>
      <div className="setting__control">
        <input
          id={id}
          type={setting.secret ? 'password' : 'text'}
          className={numeric ? 'field__input setting__input setting__input--number mono' : 'field__input setting__input mono'}
          inputMode={numeric ? 'numeric' : undefined}
          value={text}
          placeholder={setting.optional ? 'unset' : undefined}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem !== undefined}
          aria-describedby={`${id}-help`}
          onChange={(event) => {
            setDraft(event.target.value)
            setSave({ state: 'idle' })
          }}
          onBlur={(event) => {
            // Cancel is pressed, not a reason to save first.
            if (setting.secret || (event.relatedTarget instanceof HTMLElement && event.relatedTarget.dataset.cancel !== undefined)) return
            commit()
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && dirty) {
              event.preventDefault()
              setDraft(undefined)
            }
          }}
        />
        {dirty && (
          <>
            <button type="submit" className="button button--small button--primary" disabled={problem !== undefined || save.state === 'saving'}>
              Save
            </button>
            <button type="button" className="button button--small" data-cancel="" onClick={() => setDraft(undefined)}>
              Cancel
            </button>
          </>
        )}
      </div>
      <p id={`${id}-help`} className={problem ? 'field__help field__help--error' : 'field__help'} data-testid="setting-help">
        {problem ? (
          <>
            <Icon name="alert" size={14} />
            {problem}
          </>
        ) : (
          help
        )}
      </p>
      <SaveLine setting={setting} save={save} />
    </form>
  )
}

/** Shown in a browser (no tray, login item or desktop notifications there): these act in the desktop app only. */
function DesktopOnlyNote({ setting }: { setting: SettingKey }) {
  const inBrowser = useBridge().hostFolders === undefined
  if (!inBrowser || !desktopOnly(setting)) return null
  return (
    <p className="setting__note" data-testid="setting-desktop-only">
      Applies to the desktop app only.
    </p>
  )
}

/**
 * Edits left on this page unsaved (invalid or refused) when the user went elsewhere: named at the top on return,
 * each a link to its field, until fixed, saved or cancelled.
 */
function UnsavedEdits() {
  const kept = useSyncExternalStore(settingDrafts.subscribe, settingDrafts.keys)
  const [atOpen] = useState(() => new Set(settingDrafts.keys()))
  const left = kept.filter((key) => atOpen.has(key))
  if (left.length === 0) return null
  return (
    <div className="callout settings-unsaved" role="status" data-testid="settings-unsaved">
      <Icon name="alert" size={18} className="callout__icon" />
      <div>
        <p className="callout__title">{left.length === 1 ? 'An edit was not saved.' : `${left.length} edits were not saved.`}</p>
        <p className="callout__text">
          Fix or cancel {left.length === 1 ? 'it' : 'them'}:{' '}
          {left.map((key, index) => (
            <span key={key}>
              {index > 0 && ', '}
              <button
                type="button"
                className="link-button mono"
                onClick={() => {
                  const input = document.querySelector<HTMLInputElement>(`[data-testid="setting"][data-key="${key}"] input`)
                  input?.scrollIntoView({ block: 'center' })
                  input?.focus()
                }}
              >
                {key}
              </button>
            </span>
          ))}
        </p>
      </div>
    </div>
  )
}

function SaveLine({ setting, save }: { setting: SettingKey; save: SaveState }) {
  if (save.state === 'idle') return null
  if (save.state === 'refused') return <ErrorDetails error={save.error} testId="setting-refused" />
  return (
    <p className="setting__saved" role="status" data-testid="setting-saved">
      <HintText text={save.state === 'saving' ? 'Saving…' : `Saved.${setting.applies ? ` ${setting.applies}` : ''}`} />
    </p>
  )
}

function refusal(err: unknown): SaveState {
  const error = callError(err)
  if (isLinkError(error)) return { state: 'refused', error: { ...error, message: 'Not saved: the connection to Sandlot dropped.', hint: 'Try again once it is back.' } }
  return { state: 'refused', error }
}
