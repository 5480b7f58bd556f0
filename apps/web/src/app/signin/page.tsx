import type { Metadata } from "next";
import { AuthForm } from "@/components/account/AuthForm";
import { safeReturnPath } from "@/lib/return-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  readonly searchParams: Promise<{ next?: string | string[] }>;
}) {
  const next = safeReturnPath((await searchParams).next);
  return (
    <section className="auth-page">
      <h1>Sign in</h1>
      <p className="lead">
        Your notebooks follow you to any browser. What this browser made before you signed in moves
        to your account.
      </p>
      <AuthForm mode="signin" next={next} />
    </section>
  );
}
