import type { BuildOptions } from "esbuild";

export function stylesOptions(overrides?: BuildOptions): BuildOptions;
