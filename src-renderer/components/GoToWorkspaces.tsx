import { useNavigate } from '../app/navigation-context'
import { EmptyState } from './EmptyState'
import { Icon } from './Icon'

/** The way back to the Workspaces list from a page that has nothing to show (`look`: the button's variant). */
export function GoToWorkspaces({ look = '' }: { look?: '' | 'primary' | 'small' }) {
  const navigate = useNavigate()
  return (
    <button type="button" className={look === '' ? 'button' : `button button--${look}`} onClick={() => navigate('workspaces')}>
      <Icon name="workspaces" size={14} />
      Go to Workspaces
    </button>
  )
}

/** A page for a workspace name that is not there (`why`: what may have happened to it). */
export function NoSuchWorkspace({ name, why, testId }: { name: string; why: string; testId: string }) {
  return (
    <EmptyState icon="workspaces" title={`There is no workspace named ${name}.`} text={why} testId={testId}>
      <GoToWorkspaces look="primary" />
    </EmptyState>
  )
}
