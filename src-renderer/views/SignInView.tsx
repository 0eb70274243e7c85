import { Icon } from '../components/Icon'
import { Logo } from '../components/Logo'

/** All a browser sees without a valid token: how to get one. No app, no data. */
export function SignInView({ refused }: { refused: boolean }) {
  return (
    <main className="centered">
      <section className="signin card" data-testid="sign-in">
        <Logo size={40} />
        <h1 className="signin__title">Sign in to Sandlot</h1>
        <p className="signin__lead">This page needs the access token of the Sandlot server that serves it.</p>
        {refused && (
          <p className="signin__refused" role="alert">
            <Icon name="alert" size={16} />
            The server did not accept this tab’s token: it may have been replaced.
          </p>
        )}
        <ol className="signin__steps">
          <li>
            <Icon name="key" size={16} />
            <span>
              Open the URL printed by <code>sandlot serve</code>: it carries the token and signs this tab in.
            </span>
          </li>
          <li>
            <Icon name="terminals" size={16} />
            <span>
              Or run <code>sandlot token</code> and open this page again with <code>?token=</code> and the token added to its address.
            </span>
          </li>
        </ol>
      </section>
    </main>
  )
}
