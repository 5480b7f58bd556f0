import type { Metadata } from "next";
import { AuthForm } from "@/components/account/AuthForm";
import { OidcSignIn } from "@/components/account/OidcSignIn";
import { safeReturnPath } from "@/lib/return-path";
import { getAppServices } from "@/server/app-services";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({
  searchParams,
}: {
  readonly searchParams: Promise<{ next?: string | string[]; error?: string | string[] }>;
}) {
  const params = await searchParams;
  const next = safeReturnPath(params.next);
  const oidc = (await getAppServices()).oidc;
  return (
    <section className="auth-page">
      <h1>Create an account</h1>
      <p className="lead">
        Keep your notebooks beyond this browser and join a classroom. The notebooks you already made
        here become your account&apos;s.
      </p>
      <OidcSignIn name={oidc?.settings.name ?? null} next={next} error={params.error} />
      <AuthForm mode="signup" next={next} />
    </section>
  );
}
