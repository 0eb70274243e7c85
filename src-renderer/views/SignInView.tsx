import { useId, useState, type FormEvent } from 'react'
import { signInHref, typedToken } from '../bridge/session-token'
import { HintText } from '../components/HintText'
import { Icon } from '../components/Icon'
import { Logo } from '../components/Logo'

/** All a browser sees without a valid token: a field for it, and where to get one. No app, no data. */
export function SignInView({ refused }: { refused: boolean }) {
  const id = useId()
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string>()
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const typed = typedToken(text)
    if ('problem' in typed) return setProblem(typed.problem)
    // The same way in as the printed URL: the page loads again with ?token=, which moves into this tab's
    // storage; a token the server refuses brings this page back saying so, and is forgotten.
    window.location.assign(signInHref(window.location.href, typed.token))
  }
  return (
    <main className="centered">
      <section className="signin card" data-testid="sign-in">
        <Logo size={40} />
        <h1 className="signin__title">Sign in to Sandlot</h1>
        <p className="signin__lead">This page needs the access token of the Sandlot server that serves it.</p>
        {refused && (
          <p className="signin__refused" role="alert">
            <Icon name="alert" size={16} />
            The server did not accept this token: check it, or it may have been replaced.
          </p>
        )}
        <form className="signin__form" onSubmit={submit} noValidate>
          <label className="field__label" htmlFor={id}>
            Access token
          </label>
          <div className="signin__row">
            <input
              id={id}
              type="password"
              className="field__input mono"
              value={text}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              placeholder="Paste the token or the URL"
              aria-invalid={problem !== undefined}
              aria-describedby={`${id}-help`}
              onChange={(event) => {
                setText(event.target.value)
                setProblem(undefined)
              }}
            />
            <button type="submit" className="button button--primary">
              Sign in
            </button>
          </div>
          <p id={`${id}-help`} className={problem ? 'field__help field__help--error' : 'field__help'} data-testid="sign-in-help">
            {problem ? (
              <>
                <Icon name="alert" size={14} />
                <span>
                  <HintText text={problem} />
                </span>
              </>
            ) : (
              <span>
                <HintText text="`sandlot token` prints it on the machine that runs `sandlot serve`." />
              </span>
            )}
          </p>
        </form>
        <ol className="signin__steps">
          <li>
            <Icon name="key" size={16} />
            <span>
              Or open the URL printed by <code>sandlot serve</code>: it carries the token and signs this tab in.
            </span>
          </li>
        </ol>
      </section>
    </main>
  )
}
