/**
 * Why an OpenID Connect sign-in failed, as `/signin?error=<code>`. The page shows the message for
 * a known code and nothing for any other, so a crafted link cannot put words on the page.
 */
export const OIDC_ERRORS = {
  denied:
    "Sign-in was cancelled at your school's login page. Try again, or sign in with a password.",
  expired:
    "That sign-in took too long or was started in another browser or tab: start it again from this page.",
  invalid:
    "Your school's login sent an answer that could not be verified: start the sign-in again.",
  refused: "Your school's login could not sign you in: try again, or ask your school's IT team.",
  unavailable:
    "Your school's login service could not be reached: try again in a few minutes, or sign in with a password.",
  failed: "Signing you in failed on our side: try again in a moment.",
  linked_elsewhere:
    "The account with your email address is already linked to another school login: ask an admin.",
} as const;

export type OidcErrorCode = keyof typeof OIDC_ERRORS;

export function oidcErrorMessage(code: unknown): string | null {
  return typeof code === "string" && Object.hasOwn(OIDC_ERRORS, code)
    ? OIDC_ERRORS[code as OidcErrorCode]
    : null;
}
