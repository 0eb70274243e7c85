import '../styles/terminals.css'
import { mac, SHORTCUTS, shortcutKeys } from './terminals/shortcuts'
import { PageHeader } from '../components/PageHeader'


/** Help: the keyboard shortcuts, and where the pages are. */
export function HelpView() {
  return (
    <div className="page">
      <PageHeader title="Help" lead="Keyboard shortcuts work anywhere on the Terminals pages, also while a terminal has the keyboard." />
      <section className="card help" aria-labelledby="help-terminals">
        <h2 className="card__title" id="help-terminals">
          Terminals
        </h2>
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
      </section>
      <section className="card help" aria-labelledby="help-links">
        <h2 className="card__title" id="help-links">
          Links
        </h2>
        <p className="help__text">
          <code>#/terminals</code> opens the grid of every terminal, <code>#/terminals/&lt;workspace&gt;</code> that workspace’s tabs, <code>#/terminals/@host</code> the shells on this
          computer.
        </p>
      </section>
    </div>
  )
}
