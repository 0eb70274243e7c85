import { useId, type Ref } from 'react'
import { Icon } from '../components/Icon'
import { settingChoiceLabel, type IdleStopChoice } from './idle-stop-model'

interface IdleStopFieldProps {
  choice: IdleStopChoice
  minutes: string
  /** The contract's refusal of the minutes typed, shown under the field. */
  problem?: string
  /** The `workspaces.idleStopMinutes` setting; undefined until the settings arrive. */
  settingMinutes?: number
  onChoice: (choice: IdleStopChoice) => void
  onMinutes: (text: string) => void
  minutesRef?: Ref<HTMLInputElement>
}

/** "Stop when idle" of a new workspace: as the setting says, never, or after so many minutes (the CLI's --idle-stop). */
export function IdleStopField({ choice, minutes, problem, settingMinutes, onChoice, onMinutes, minutesRef }: IdleStopFieldProps) {
  const id = useId()
  const radio = (value: IdleStopChoice, label: string) => (
    <label className="idle-stop__choice">
      <input type="radio" name={`${id}-choice`} value={value} checked={choice === value} onChange={() => onChoice(value)} data-testid={`idle-stop-${value}`} />
      {label}
    </label>
  )
  return (
    <fieldset className="idle-stop" aria-describedby={`${id}-help`}>
      <legend className="field__label">Stop when idle</legend>
      <div className="idle-stop__choices">
        {radio('setting', settingChoiceLabel(settingMinutes))}
        {radio('never', 'Never')}
        <span className="idle-stop__custom">
          {radio('custom', 'After')}
          <input
            ref={minutesRef}
            className="field__input mono idle-stop__minutes"
            value={minutes}
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            maxLength={6}
            aria-label="Minutes without use before it stops"
            aria-invalid={problem !== undefined}
            aria-describedby={`${id}-help`}
            data-testid="idle-stop-minutes"
            placeholder="60"
            // Typing minutes means this choice, without picking it first (only typing: tabbing through changes nothing).
            onChange={(event) => {
              onChoice('custom')
              onMinutes(event.target.value)
            }}
          />
          <span className="idle-stop__unit" aria-hidden="true">
            minutes
          </span>
        </span>
      </div>
      <p id={`${id}-help`} className={problem ? 'field__help field__help--error' : 'field__help'} data-testid="idle-stop-help">
        {problem ? (
          <>
            <Icon name="alert" size={13} />
            {problem}
          </>
        ) : (
          'Stopped after that long with no terminal attached, no preview request and no exec; opening it starts it again. The setting is in Settings, under Workspaces.'
        )}
      </p>
    </fieldset>
  )
}
