import { useId, useState } from 'react'
import { Icon } from '../components/Icon'
import { repositoryProblem } from './repository-model'

/**
 * "From a repository": a URL and an optional branch. Sandlot clones it on this machine with the user's own git
 * (their credentials stay there) and puts the checkout into the workspace.
 */
export function RepositoryForm({ disabled, onCreate }: { disabled: boolean; onCreate: (url: string, branch: string | undefined) => void }) {
  const [url, setUrl] = useState('')
  const [branch, setBranch] = useState('')
  const id = useId()
  const problem = repositoryProblem(url, branch.trim())
  const ready = url.trim() !== '' && problem === undefined && !disabled
  return (
    <section className="card field-card" aria-labelledby={`${id}-heading`}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (ready) onCreate(url.trim(), branch.trim() === '' ? undefined : branch.trim())
        }}
      >
        <h2 className="section-title" id={`${id}-heading`}>
          From a repository
        </h2>
        <label className="field__label" htmlFor={`${id}-url`}>
          Repository URL
        </label>
        <input
          id={`${id}-url`}
          className="field__input mono"
          value={url}
          placeholder="https://github.com/owner/repo.git"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem !== undefined}
          aria-describedby={`${id}-help`}
          data-testid="repository-url"
          onChange={(event) => setUrl(event.target.value)}
        />
        <label className="field__label" htmlFor={`${id}-branch`}>
          Branch <span className="field__optional">optional</span>
        </label>
        <input
          id={`${id}-branch`}
          className="field__input mono"
          value={branch}
          placeholder="main"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-help`}
          data-testid="repository-branch"
          onChange={(event) => setBranch(event.target.value)}
        />
        <p id={`${id}-help`} className={problem ? 'field__help field__help--error' : 'field__help'} data-testid="repository-help">
          {problem ? (
            <>
              <Icon name="alert" size={13} />
              {problem}
            </>
          ) : (
            'Cloned on this machine with your own git, so your credentials and SSH keys work and stay here.'
          )}
        </p>
        <button type="submit" className="button button--primary" disabled={!ready} data-testid="repository-create">
          Create from repository
        </button>
      </form>
    </section>
  )
}
