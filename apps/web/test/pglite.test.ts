import { apiSuite } from "./api-suite";
import { pgliteDatabase } from "./databases";

apiSuite("PGlite", pgliteDatabase);
