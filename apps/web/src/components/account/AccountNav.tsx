"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { api } from "@/lib/api-client";

type Me = Awaited<ReturnType<typeof api.auth.me.query>>;

/**
 * The header's account links: "Sign in", or the account's name (and "Admin" for admins). Fetched
 * in the browser so the layout stays static; sign-in and sign-out reload the page.
 */
export function AccountNav() {
  const [me, setMe] = useState<Me | undefined>(undefined);
  useEffect(() => {
    api.auth.me
      .query()
      .then(setMe)
      .catch(() => setMe(null));
  }, []);
  if (me === undefined) return null;
  if (me?.kind !== "account") {
    return (
      <Link href="/signin" prefetch={false}>
        Sign in
      </Link>
    );
  }
  return (
    <>
      {me.role === "admin" && (
        <Link href="/admin" prefetch={false}>
          Admin
        </Link>
      )}
      <Link href="/account" prefetch={false}>
        {me.displayName ?? me.email ?? "Your account"}
      </Link>
    </>
  );
}
