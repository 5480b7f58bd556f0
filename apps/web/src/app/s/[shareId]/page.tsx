import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ForkButton } from "@/components/ForkButton";
import { NotebookBody } from "@/components/NotebookBody";
import { Notice } from "@/components/Notice";
import { formatDate } from "@/lib/format";
import { apiErrorCode, serverApi } from "@/server/api/server-caller";

interface Props {
  readonly params: Promise<{ shareId: string }>;
}

const load = cache(async (id: string) => {
  const api = await serverApi();
  try {
    return { ok: true as const, shared: await api.shares.get({ id }) };
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") notFound();
    if (code === "FORBIDDEN") return { ok: false as const };
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const result = await load((await params).shareId);
  return {
    title: result.ok ? result.shared.notebook.title : "Private link",
    // Share links are secrets: keep them out of search engines.
    robots: { index: false, follow: false },
  };
}

export default async function SharedNotebookPage({ params }: Props) {
  const { shareId } = await params;
  const result = await load(shareId);
  if (!result.ok) {
    return (
      <Notice title="This link is turned off">
        Its owner has made this notebook private. Ask them to turn the link back on.
      </Notice>
    );
  }
  const { shared } = result;
  return (
    <>
      <div className="shared-banner" role="note">
        <span>
          <strong>Shared notebook, read-only.</strong> Fork it to get your own copy to edit and run.
        </span>
        {shared.isOwner && shared.share.notebookId ? (
          <Link href={`/n/${shared.share.notebookId}`} className="button secondary">
            Open your notebook
          </Link>
        ) : null}
        <ForkButton shareId={shareId} />
      </div>
      <NotebookBody
        title={shared.notebook.title}
        content={shared.notebook.content}
        saveTarget={null}
        trust="shared"
        shareId={shareId}
        header={
          <span className="meta">
            Version {shared.notebook.version} · saved {formatDate(shared.notebook.updatedAt)}
          </span>
        }
      />
    </>
  );
}
