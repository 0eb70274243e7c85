import '../../styles/terminals.css'
import { useId } from 'react'
import { useModalDialog } from '../../components/use-modal-dialog'
import { mac, SHORTCUTS, shortcutKeys } from './shortcuts'

/** The Terminals pages' keyboard shortcuts, for Help and for the Shortcuts dialog on those pages. */
export function ShortcutList() {
  return (
    <dl className="help__keys" data-testid="shortcuts">
      {SHORTCUTS.map((shortcut) => (
        <div key={shortcut.id} className="help__row">
          <dt>
            <kbd>{shortcutKeys(shortcut, mac)}</kbd>
          </dt>
          <dd>{shortcut.label}</dd>
        </div>
      ))}
      <div className="help__row">
        <dt>
          <kbd>Esc</kbd>
        </dt>
        <dd>Leave a grid cell’s full screen (a full-screen program such as vim keeps Esc)</dd>
      </div>
      <div className="help__row">
        <dt>
          <kbd>{mac ? '⌘C' : 'Ctrl+C'}</kbd>
        </dt>
        <dd>With text selected: copy it. {mac ? '' : 'Without a selection, Ctrl+C interrupts the program as usual.'}</dd>
      </div>
      <div className="help__row">
        <dt>
          <kbd>F2</kbd>
        </dt>
        <dd>Rename the focused tab (or double-click it); drag tabs to reorder them</dd>
      </div>
    </dl>
  )
}

/**
 * The shortcuts over the Terminals page, which stays as it was under it (its terminals keep running and keep
 * their place). A native modal <dialog>: focus stays inside, Escape or Close shuts it, focus goes back.
 */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const ref = useModalDialog()
  const titleId = useId()
  return (
    <dialog
      ref={ref}
      className="dialog dialog--wide help"
      aria-labelledby={titleId}
      data-testid="shortcuts-dialog"
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it, as a popover does.
        if (event.target === ref.current) onClose()
      }}
    >
      <h2 className="dialog__title" id={titleId}>
        Keyboard shortcuts
      </h2>
      <p className="dialog__body">They work anywhere on the Terminals pages, also while a terminal has the keyboard.</p>
      <ShortcutList />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  )
}
