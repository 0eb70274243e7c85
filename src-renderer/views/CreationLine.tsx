import { underWay, type Creation } from '../app/creations'
import { Icon } from '../components/Icon'
import { TemplateIcon } from '../components/TemplateIcon'
import { ReadyActions } from './CreationPanel'
import { progressView } from './create-progress-model'

interface CreationLineProps {
  creation: Creation
  /** Shows it in full: its steps, output or error. */
  onExpand: () => void
  onDismiss: () => void
}

/**
 * A creation from an earlier visit, above the form: how far it got or how it ended, its next step once ready,
 * and a way to see it in full or put it away.
 */
export function CreationLine({ creation, onExpand, onDismiss }: CreationLineProps) {
  const { outcome, progress, template, name } = creation
  const going = underWay(creation)
  const percent = progressView(progress, 'running', template.phases).percent
  const text = outcome.state === 'ready' ? `${name} is ready` : outcome.state === 'failed' ? `Could not create ${name}` : `Creating ${name} · ${percent}%`
  return (
    <div className={`card creation-line creation-line--${outcome.state}`} data-testid="creation-line" data-name={name} data-state={outcome.state} role="group" aria-label={text}>
      <TemplateIcon template={template} size="sm" />
      <p className="creation-line__text">
        {going && <Icon name="spinner" size={13} className="spin" />}
        {outcome.state === 'failed' && <Icon name="alert" size={13} />}
        <span className="creation-line__title">{text}</span>
        {outcome.state === 'failed' && <span className="creation-line__reason">{outcome.error.message}</span>}
      </p>
      <span className="creation-line__actions">
        {outcome.state === 'ready' && <ReadyActions workspace={outcome.workspace} small />}
        <button type="button" className="button button--small" onClick={onExpand}>
          {going ? 'Show progress' : 'Details'}
        </button>
        <button type="button" className="icon-button" aria-label={`Dismiss ${name}'s creation`} title="Dismiss" onClick={onDismiss}>
          <Icon name="close" size={14} />
        </button>
      </span>
    </div>
  )
}
