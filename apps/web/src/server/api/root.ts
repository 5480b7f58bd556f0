import { lessonsRouter } from "./routers/lessons";
import { notebooksRouter } from "./routers/notebooks";
import { sharesRouter } from "./routers/shares";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  notebooks: notebooksRouter,
  shares: sharesRouter,
  lessons: lessonsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
