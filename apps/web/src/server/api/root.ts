import { adminRouter } from "./routers/admin";
import { assignmentsRouter } from "./routers/assignments";
import { authRouter } from "./routers/auth";
import { classroomsRouter } from "./routers/classrooms";
import { lessonsRouter } from "./routers/lessons";
import { modelsRouter } from "./routers/models";
import { notebooksRouter } from "./routers/notebooks";
import { progressRouter } from "./routers/progress";
import { sharesRouter } from "./routers/shares";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  notebooks: notebooksRouter,
  shares: sharesRouter,
  lessons: lessonsRouter,
  auth: authRouter,
  admin: adminRouter,
  models: modelsRouter,
  classrooms: classroomsRouter,
  assignments: assignmentsRouter,
  progress: progressRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
