// Types of pack-install.mjs, for bench/startup.ts.
export const repo: string;
export function userEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function packAndInstall(options?: { build?: boolean; extraDependencies?: Record<string, string> }): {
  dir: string;
  tarballs: string;
  pinned: Record<string, string>;
};
