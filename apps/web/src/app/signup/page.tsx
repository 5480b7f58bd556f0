import type { Metadata } from "next";
import { AuthForm } from "@/components/account/AuthForm";
import { safeReturnPath } from "@/lib/return-path";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({
  searchParams,
}: {
  readonly searchParams: Promise<{ next?: string | string[] }>;
}) {
  const next = safeReturnPath((await searchParams).next);
  return (
    <section className="auth-page">
      <h1>Create an account</h1>
      <p className="lead">
        Keep your notebooks beyond this browser and join a classroom. The notebooks you already made
        here become your account&apos;s.
      </p>
      <AuthForm mode="signup" next={next} />
    </section>
  );
}
