import Link from "next/link";
import type { ReactNode } from "react";

/** A full-page message for when a page cannot show what was asked for, and what to do instead. */
export function Notice({
  title,
  children,
}: {
  readonly title: string;
  readonly children: ReactNode;
}) {
  return (
    <section className="notice">
      <h1>{title}</h1>
      <div className="lead">{children}</div>
      <p>
        <Link href="/notebooks">My notebooks</Link> · <Link href="/course">The course</Link>
      </p>
    </section>
  );
}
