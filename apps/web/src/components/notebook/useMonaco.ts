"use client";

import { useEffect, useState } from "react";
import { loadMonaco, type Monaco } from "./monaco-setup";

let loaded: Monaco | null = null;

/** Monaco once it has loaded (it starts loading on first use), else null. */
export function useMonaco(): Monaco | null {
  const [monaco, setMonaco] = useState<Monaco | null>(loaded);
  useEffect(() => {
    if (monaco) return;
    let live = true;
    loadMonaco().then(
      (instance) => {
        loaded = instance;
        if (live) setMonaco(instance);
      },
      (error: unknown) => console.error("The code editor failed to load:", error),
    );
    return () => {
      live = false;
    };
  }, [monaco]);
  return monaco;
}
