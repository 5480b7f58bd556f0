import type { Metadata } from "next";
import { AuthForm } from "@/components/account/AuthForm";
import { OidcSignIn } from "@/components/account/OidcSignIn";
import { safeReturnPath } from "@/lib/return-path";
import { getAppServices } from "@/server/app-services";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  readonly searchParams: Promise<{ next?: string | string[]; error?: string | string[] }>;
}) {
  const params = await searchParams;
  const next = safeReturnPath(params.next);
  const oidc = (await getAppServices()).oidc;
  return (
    <section className="auth-page">
      <h1>Sign in</h1>
      <p className="lead">
        Your notebooks follow you to any browser. What this browser made before you signed in moves
        to your account.
      </p>
      <OidcSignIn name={oidc?.settings.name ?? null} next={next} error={params.error} />
      <AuthForm mode="signin" next={next} />
    </section>
  );
}
