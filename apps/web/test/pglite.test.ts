import { apiSuite } from "./api-suite";
import { authSuite } from "./auth-suite";
import { classroomsSuite } from "./classrooms-suite";
import { pgliteDatabase } from "./databases";
import { modelsSuite } from "./models-suite";

apiSuite("PGlite", pgliteDatabase);
authSuite("PGlite", pgliteDatabase);
modelsSuite("PGlite", pgliteDatabase);
classroomsSuite("PGlite", pgliteDatabase);
