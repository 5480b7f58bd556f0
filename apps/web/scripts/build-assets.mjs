/**
 * Builds what the app serves beside Next's own bundles, into public/ (git-ignored):
 *
 * - sandbox-assets/<hash>/: the sandbox page's script and stylesheet (the notebook runtime,
 *   the engine, Plot, KaTeX with its fonts), and manifest.json naming them for /sandbox.
 *   Content-hashed, so they can be cached for good.
 * - monaco/<version>/vs: Monaco's AMD build, which @monaco-editor/react's loader loads from
 *   here instead of a CDN.
 * - editor-types/gradbook.json: the packages' declaration files (engine, Plot, viz, datasets), which the editor
 *   gives Monaco's TypeScript service for completion and hover docs.
 *
 * Run by `npm run build` (and `dev`) before Next builds.
 */
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const publicDir = join(appDir, "public");
const require = createRequire(import.meta.url);

/** Where a package is installed (its folder), from any file it exports. */
function packageDir(name, file) {
  let dir = dirname(require.resolve(file ?? name));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
}

async function buildSandbox() {
  const outRoot = join(publicDir, "sandbox-assets");
  rmSync(outRoot, { recursive: true, force: true });
  const staging = join(outRoot, "staging");
  await build({
    entryPoints: { client: join(appDir, "src/sandbox/client/main.ts") },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    outdir: staging,
    loader: { ".woff2": "file", ".woff": "file", ".ttf": "file" },
    assetNames: "fonts/[name]",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });
  const hash = createHash("sha256")
    .update(readFileSync(join(staging, "client.js")))
    .update(readFileSync(join(staging, "client.css")))
    .digest("hex")
    .slice(0, 16);
  renameSync(staging, join(outRoot, hash));
  const manifest = {
    script: `/sandbox-assets/${hash}/client.js`,
    style: `/sandbox-assets/${hash}/client.css`,
  };
  writeFileSync(join(outRoot, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const kb = (file) => (readFileSync(join(outRoot, hash, file)).length / 1024).toFixed(0);
  console.log(`sandbox: client.js ${kb("client.js")} KB, client.css ${kb("client.css")} KB`);
}

function copyMonaco() {
  const dir = packageDir("monaco-editor");
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const target = join(publicDir, "monaco", version, "vs");
  if (existsSync(join(target, "loader.js"))) return;
  rmSync(join(publicDir, "monaco"), { recursive: true, force: true });
  cpSync(join(dir, "min", "vs"), target, { recursive: true });
  console.log(`monaco: copied ${version}`);
}

/** Every .d.ts under `dir`, keyed by its path relative to `dir`. */
function declarations(dir) {
  const files = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
    const path = join(entry.parentPath, entry.name);
    const text = readFileSync(path, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
    files[relative(dir, path).split(sep).join("/")] = text;
  }
  return files;
}

/**
 * Monaco's TypeScript service resolves `import("@gradbook/engine")` in a virtual file system:
 * each package's declarations go where Node resolution looks for them.
 */
function writeEditorTypes() {
  const packages = {
    "@gradbook/engine": join(packageDir("@gradbook/engine"), "dist"),
    "@gradbook/kernels": join(packageDir("@gradbook/kernels"), "dist"),
    "@gradbook/notebook": join(packageDir("@gradbook/notebook"), "dist"),
    "@gradbook/lessons": join(packageDir("@gradbook/lessons"), "dist"),
    "@observablehq/plot": join(packageDir("@observablehq/plot"), "src"),
  };
  const libs = {};
  for (const [name, dir] of Object.entries(packages)) {
    for (const [path, text] of Object.entries(declarations(dir))) {
      libs[`file:///node_modules/${name}/${path}`] = text;
    }
  }
  const out = join(publicDir, "editor-types");
  mkdirSync(out, { recursive: true });
  const json = JSON.stringify(libs);
  writeFileSync(join(out, "gradbook.json"), json);
  console.log(
    `editor types: ${Object.keys(libs).length} files, ${(json.length / 1024).toFixed(0)} KB`,
  );
}

await buildSandbox();
copyMonaco();
writeEditorTypes();
