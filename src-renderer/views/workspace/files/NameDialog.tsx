import { useId, useRef, useState } from 'react'
import { Icon } from '../../../components/Icon'
import { useModalDialog } from '../../../components/use-modal-dialog'

interface NameDialogProps {
  title: string
  label: string
  initial: string
  confirmLabel: string
  /** What is wrong with the name typed so far (undefined: it can be used). */
  problem: (name: string) => string | undefined
  onConfirm: (name: string) => void
  onCancel: () => void
}

/**
 * A modal asking for one name (a new folder's, a new name for an entry), checked while typed. Like ConfirmDialog,
 * the native <dialog> keeps the focus inside, closes on Escape and gives the focus back when it closes.
 */
export function NameDialog({ title, label, initial, confirmLabel, problem, onConfirm, onCancel }: NameDialogProps) {
  const input = useRef<HTMLInputElement>(null)
  const ref = useModalDialog(() => {
    // The name without its extension is what one usually changes, as file managers select it.
    const dot = initial.lastIndexOf('.')
    input.current?.setSelectionRange(0, dot > 0 ? dot : initial.length)
  })
  const [name, setName] = useState(initial)
  const id = useId()
  const wrong = problem(name)
  const ready = name !== '' && name !== initial && wrong === undefined


  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      data-testid="name-dialog"
      onCancel={(event) => {
        event.preventDefault()
        onCancel()
      }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (ready) onConfirm(name)
        }}
      >
        <h2 className="dialog__title" id={`${id}-title`}>
          {title}
        </h2>
        <div className="dialog__body">
          <label className="field__label" htmlFor={`${id}-name`}>
            {label}
          </label>
          <input
            id={`${id}-name`}
            ref={input}
            className="field__input mono"
            value={name}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            aria-invalid={wrong !== undefined}
            aria-describedby={`${id}-help`}
            data-testid="name-dialog-input"
            onChange={(event) => setName(event.target.value)}
          />
          <p id={`${id}-help`} className={wrong ? 'field__help field__help--error' : 'field__help'}>
            {wrong ? (
              <>
                <Icon name="alert" size={13} />
                {wrong}
              </>
            ) : (
              'One name, without /.'
            )}
          </p>
        </div>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={!ready} data-testid="name-dialog-confirm">
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  )
}
