import { getAppServices } from "@/server/app-services";
import { handleGradesCsv } from "@/server/classrooms/grades-route";

// Per request and per viewer: never cached.
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleGradesCsv(req, await getAppServices(), (await params).id);
}
