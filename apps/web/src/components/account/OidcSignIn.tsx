import { oidcErrorMessage } from "@/server/oidc/errors";
import { oidcStartHref } from "@/server/oidc/http";

/**
 * The school's single sign-on, above the password form: a plain link, since the flow is a
 * chain of top-level redirects. `error` is the code a failed sign-in came back with.
 */
export function OidcSignIn({
  name,
  next,
  error,
}: {
  readonly name: string | null;
  readonly next: string;
  readonly error?: unknown;
}) {
  const message = oidcErrorMessage(error);
  if (!name && !message) return null;
  return (
    <div className="form oidc-sign-in">
      {message && (
        <p role="alert" className="error-text">
          {message}
        </p>
      )}
      {name && (
        <>
          <a className="button primary" href={oidcStartHref(next)}>
            Sign in with {name}
          </a>
          <p className="hint">Or use an email and password:</p>
        </>
      )}
    </div>
  );
}
