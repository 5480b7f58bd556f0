import * as oidc from "openid-client";
import { isLoopbackHttp, type OidcSettings } from "./settings";

/** The provider's answer about who signed in, as the app uses it. */
export interface OidcProfile {
  /** The ID token's `iss` and `sub`: the one stable key of a person at the provider. */
  readonly issuer: string;
  readonly subject: string;
  /** Only an address the provider says it verified (`email_verified`), lower-case; else null. */
  readonly email: string | null;
  readonly name: string | null;
}

/** What a sign-in started with, checked when the provider sends the browser back. */
export interface OidcChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export interface OidcClient {
  readonly settings: OidcSettings;
  /** The provider's authorization URL for a new sign-in, and the checks to keep for its return. */
  start(redirectUri: string): Promise<{ url: URL; checks: OidcChecks }>;
  /** Validates the provider's response at `callbackUrl` (state, code, PKCE, ID token, nonce). */
  finish(callbackUrl: URL, checks: OidcChecks): Promise<OidcProfile>;
}

/** Seconds before a provider that does not answer counts as down. */
const TIMEOUT_SECONDS = 10;

/**
 * A client for one provider. Its metadata is discovered on first use and kept; a failed
 * discovery is forgotten, so the next sign-in tries again once the provider is back.
 */
export function oidcClient(settings: OidcSettings): OidcClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    const issuer = new URL(settings.issuer);
    discovered ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        timeout: TIMEOUT_SECONDS,
        execute: isLoopbackHttp(issuer) ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  return {
    settings,
    async start(redirectUri) {
      const config = await configuration();
      const checks = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: "openid email profile",
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: "S256",
      });
      return { url, checks };
    },
    async finish(callbackUrl, checks) {
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error("the provider returned no ID token");
      // Providers may keep email and name out of the ID token and serve them at userinfo
      // (OpenID Connect Core 5.4); the userinfo answer must be about the same subject.
      const userinfo = config.serverMetadata().userinfo_endpoint
        ? await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)
        : {};
      const claims: Record<string, unknown> = { ...idToken, ...userinfo };
      return {
        issuer: idToken.iss,
        subject: idToken.sub,
        email: verifiedEmail(claims),
        name: displayName(claims.name),
      };
    },
  };
}

function verifiedEmail(claims: Record<string, unknown>): string | null {
  // Some providers send the flag as a string.
  const verified = claims.email_verified === true || claims.email_verified === "true";
  if (!verified || typeof claims.email !== "string") return null;
  const email = claims.email.trim().toLowerCase();
  return email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

function displayName(name: unknown): string | null {
  if (typeof name !== "string") return null;
  return name.trim().slice(0, 80) || null;
}
