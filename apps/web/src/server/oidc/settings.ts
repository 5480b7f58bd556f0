/**
 * OpenID Connect sign-in, configured by the environment (docs/self-hosting.md). All of
 * GRADBOOK_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET, or none: a half-configured provider
 * stops the server at start with the reason, rather than showing a button that cannot work.
 */
export interface OidcSettings {
  /** The issuer identifier; its metadata is at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Shown as "Sign in with <name>". */
  readonly name: string;
}

const DEFAULT_NAME = "your school account";

export function oidcSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): OidcSettings | null {
  const issuer = env.GRADBOOK_OIDC_ISSUER?.trim() ?? "";
  const clientId = env.GRADBOOK_OIDC_CLIENT_ID?.trim() ?? "";
  const clientSecret = env.GRADBOOK_OIDC_CLIENT_SECRET ?? "";
  if (!issuer && !clientId && !clientSecret) return null;
  const missing = [
    ["GRADBOOK_OIDC_ISSUER", issuer],
    ["GRADBOOK_OIDC_CLIENT_ID", clientId],
    ["GRADBOOK_OIDC_CLIENT_SECRET", clientSecret],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new Error(
      `OpenID Connect sign-in is half configured: set ${missing.join(" and ")} too, or unset every GRADBOOK_OIDC_ variable.`,
    );
  }
  return checkedOidcSettings({ issuer, clientId, clientSecret, name: env.GRADBOOK_OIDC_NAME });
}

/** Validates settings (from the environment or a test) and fills in the default name. */
export function checkedOidcSettings(settings: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name?: string | undefined;
}): OidcSettings {
  let url: URL;
  try {
    url = new URL(settings.issuer);
  } catch {
    throw new Error(
      `GRADBOOK_OIDC_ISSUER is ${JSON.stringify(settings.issuer)}: set it to the provider's issuer URL, e.g. https://login.example-school.org/realms/students.`,
    );
  }
  if (url.protocol !== "https:" && !isLoopbackHttp(url)) {
    throw new Error(
      `GRADBOOK_OIDC_ISSUER must be an https:// URL (http:// only for localhost): it is ${url.href}.`,
    );
  }
  // Someone may write the whole label; the page adds "Sign in with" itself.
  const name = (settings.name ?? "").trim().replace(/^sign in with\s+/i, "") || DEFAULT_NAME;
  return { ...settings, name };
}

/** A provider on this machine (a test, a development setup) may speak plain HTTP. */
export function isLoopbackHttp(url: URL): boolean {
  return (
    url.protocol === "http:" &&
    (url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]")
  );
}
