import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChangePasswordForm } from "@/components/account/ChangePasswordForm";
import { SignOutButton } from "@/components/account/SignOutButton";
import { serverApi } from "@/server/api/server-caller";

export const metadata: Metadata = { title: "Your account" };

const ROLE_TEXT = {
  admin: "Admin: you manage this site's accounts and roles.",
  instructor: "Instructor: you can run classrooms.",
  student: "Student.",
} as const;

export default async function AccountPage() {
  const api = await serverApi();
  const me = await api.auth.me();
  if (me?.kind !== "account") redirect("/signin?next=/account");
  const methods = await api.auth.signInMethods();
  return (
    <section className="auth-page">
      <h1>{me.displayName ?? "Your account"}</h1>
      <dl className="account-facts">
        <div>
          <dt>Email</dt>
          <dd>{me.email ?? "None: your school's login did not share a verified one."}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{ROLE_TEXT[me.role]}</dd>
        </div>
      </dl>
      {methods?.password ? (
        <>
          <h2>Change your password</h2>
          <ChangePasswordForm />
        </>
      ) : (
        <>
          <h2>Password</h2>
          <p className="hint">
            You sign in with your school&apos;s login, so this account has no password.
          </p>
        </>
      )}
      <h2>Sign out</h2>
      <p className="hint">
        Your notebooks stay in your account; sign in again to get back to them.
      </p>
      <SignOutButton />
    </section>
  );
}
