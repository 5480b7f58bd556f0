import { TRPCError } from "@trpc/server";
import { cookieIdentity, headerCookieJar } from "../identity";
import { ID_PATTERN } from "../ids";
import type { Services } from "../services";
import { gradesCsv } from "./grades-csv";
import { instructedClassroom } from "./membership";
import { progressTable } from "./progress-table";

const STATUS: Partial<Record<TRPCError["code"], number>> = { FORBIDDEN: 403, NOT_FOUND: 404 };

/** GET /api/classrooms/<id>/grades.csv: the classroom's grades, for its instructors only. */
export async function handleGradesCsv(
  req: Request,
  services: Services,
  classroomId: string,
): Promise<Response> {
  if (!ID_PATTERN.test(classroomId)) return text(404, "There is no such classroom.");
  const identity = cookieIdentity(services.db, headerCookieJar(req.headers, new Headers()), false);
  try {
    const userId = await identity.current();
    const classroom = await instructedClassroom(
      services.db,
      classroomId,
      userId,
      "download its grades",
    );
    const csv = gradesCsv(await progressTable(services.db, classroomId));
    const file = `${classroom.name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "classroom"}-grades.csv`;
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${file}"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    const status = error instanceof TRPCError ? STATUS[error.code] : undefined;
    if (status === undefined) throw error;
    return text(status, (error as TRPCError).message);
  }
}

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
