import { useEffect, useRef, useState, type FormEvent } from 'react'
import { callError, type CallError } from '../../bridge/bridge'
import { useBridge } from '../../app/bridge-context'
import { Icon } from '../../components/Icon'
import { IdleStopField } from '../IdleStopField'
import { idleStopFieldOf, idleStopRequest, minutesOnCustom, type IdleStopChoice } from '../idle-stop-model'

interface IdleStopEditorProps {
  name: string
  /** The workspace's own idle stop now; undefined: it follows the setting. */
  own: number | undefined
  /** The `workspaces.idleStopMinutes` setting; undefined until the settings arrive. */
  settingMinutes: number | undefined
  /** Closed: after a save (the page follows the core's `workspaces.changed`), Cancel or Escape. */
  onClose: () => void
}

/** Changes a workspace's idle stop in place, with the New workspace view's field: Save, or Cancel and Escape. */
export function IdleStopEditor({ name, own, settingMinutes, onClose }: IdleStopEditorProps) {
  const bridge = useBridge()
  const [field, setField] = useState(() => idleStopFieldOf(own))
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<CallError>()
  const form = useRef<HTMLFormElement>(null)
  const minutesInput = useRef<HTMLInputElement>(null)
  const request = idleStopRequest(field.choice, field.minutes)

  // The focus starts on the choice that applies now, as a radio group takes it.
  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus()
  }, [])

  const choose = (choice: IdleStopChoice): void => setField((now) => ({ choice, minutes: choice === 'custom' ? minutesOnCustom(now.minutes, settingMinutes) : now.minutes }))

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (saving) return
    // Minutes the core would refuse send nothing: the field already says why.
    if (request.problem !== undefined) return minutesInput.current?.focus()
    setSaving(true)
    setFailure(undefined)
    try {
      await bridge.call('workspaces.update', { name, idleStopMinutes: request.minutes ?? null })
      onClose()
    } catch (err) {
      setFailure(callError(err))
      setSaving(false)
    }
  }

  return (
    <form
      ref={form}
      className="idle-stop-editor"
      aria-label={`Idle stop of ${name}`}
      data-testid="idle-stop-editor"
      noValidate
      onSubmit={(event) => void save(event)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || event.nativeEvent.isComposing) return
        event.preventDefault()
        event.stopPropagation()
        onClose()
      }}
    >
      <IdleStopField
        choice={field.choice}
        minutes={field.minutes}
        {...(request.problem === undefined ? {} : { problem: request.problem })}
        {...(settingMinutes === undefined ? {} : { settingMinutes })}
        onChoice={choose}
        onMinutes={(minutes) => setField((now) => ({ ...now, minutes }))}
        minutesRef={minutesInput}
      />
      {failure && (
        <p className="field__help field__help--error idle-stop-editor__failure" role="alert" data-testid="idle-stop-editor-error">
          <Icon name="alert" size={13} />
          <span>
            {failure.message}
            {failure.hint ? ` ${failure.hint}` : ''}
          </span>
        </p>
      )}
      <div className="idle-stop-editor__buttons">
        <button type="submit" className="button button--small button--primary" aria-disabled={saving}>
          {saving && <Icon name="spinner" size={13} className="spin" />}
          Save
        </button>
        <button type="button" className="button button--small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  )
}
