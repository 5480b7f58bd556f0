import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AccountNav } from "@/components/account/AccountNav";
import { NewNotebookButton } from "@/components/NewNotebookButton";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Gradbook", template: "%s · Gradbook" },
  description: "Learn deep learning by doing it: reactive notebooks with a PyTorch-like engine.",
};

export default function RootLayout({ children }: { readonly children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <nav className="site-nav" aria-label="Main">
            <Link href="/" className="brand">
              Gradbook
            </Link>
            <Link href="/course">Course</Link>
            {/* Per-browser and always fresh: nothing to gain from prefetching it. */}
            <Link href="/notebooks" prefetch={false}>
              My notebooks
            </Link>
            <Link href="/classrooms" prefetch={false}>
              Classrooms
            </Link>
            <Link href="/models" prefetch={false}>
              Models
            </Link>
            <span className="nav-spacer" />
            <NewNotebookButton variant="secondary" />
            <AccountNav />
          </nav>
        </header>
        <main className="page">{children}</main>
        <footer className="site-footer">
          Gradbook runs your code on your own machine; the server only keeps your notebooks and
          models.
        </footer>
      </body>
    </html>
  );
}
