/**
 * Builds dist/notebook.css from styles/notebook.css: KaTeX's, Observable's and Gradbook's
 * styles in one file, with KaTeX's fonts copied to dist/fonts, so that the app serves every
 * asset itself (no CDN). The browser tests build the same stylesheet with `stylesOptions`.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The inspector's package doesn't export its CSS file, so find it beside its entry point. */
const inspectorCss = {
  name: "observable-inspector-css",
  setup(builder) {
    builder.onResolve({ filter: /^@observablehq\/inspector\/dist\/inspector\.css$/ }, () => {
      const entry = createRequire(import.meta.url).resolve("@observablehq/inspector");
      return { path: join(dirname(entry), "..", "dist", "inspector.css") };
    });
  },
};

/** esbuild options for the stylesheet; `overrides` sets where and how it is written. */
export function stylesOptions(overrides = {}) {
  return {
    entryPoints: [join(packageDir, "styles", "notebook.css")],
    bundle: true,
    minify: true,
    loader: { ".woff2": "file", ".woff": "file", ".ttf": "file" },
    assetNames: "fonts/[name]",
    plugins: [inspectorCss],
    logLevel: "warning",
    ...overrides,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await build(stylesOptions({ outfile: join(packageDir, "dist", "notebook.css") }));
}
