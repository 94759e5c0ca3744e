/**
 * How this process was started, so that a hint prints a command that runs when pasted: in the
 * workspace `exp` is a package script (`pnpm exp …`), under npx it is `npx exp …`, and only
 * an installed package puts `exp` itself on PATH. Package managers say which through the
 * environment they give scripts (npm_lifecycle_event, npm_config_user_agent).
 */
export function invokedAs(env: NodeJS.ProcessEnv = process.env): string {
  const event = env.npm_lifecycle_event;
  if (event === 'exp') {
    const manager = (env.npm_config_user_agent ?? '').split('/')[0];
    // npm passes arguments to a script only after `--`.
    return !manager || manager === 'npm' ? 'npm run exp --' : `${manager} exp`;
  }
  if (event === 'npx' || env.npm_command === 'exec') return 'npx exp';
  return 'exp';
}

/** `exp <args>` as this process would have to be invoked again: the one helper every hint uses. */
export function expCommand(args: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${invokedAs(env)} ${args}`;
}
