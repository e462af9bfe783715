// `cred run` without --mask becomes the command, as a shell's `exec` does (and `aws-vault exec`,
// `direnv exec`, `envchain`): no cred process stays between the caller and the command, so its
// exit status, every signal and job control are the command's own, not forwarded copies, and cred
// pays for neither node:child_process nor a fork and a wait (docs/speed.md). Node 20 has no
// execve, so dist/native/exec.node (src/native/exec.c) does it; where that helper was not built or
// does not load, `run` spawns the command and waits, as before.
import type { NotReplaced, ReplaceProcess } from '../deps.js';

type NativeExec = (file: string, argv: string[], envp: string[]) => number;

/** The errno's name (ENOENT) for its number, as Node's own errors give it. */
function errnoName(errno: number): string {
  const names = process.getBuiltinModule('node:os').constants.errno as Record<string, number>;
  return Object.keys(names).find((k) => names[k] === errno) ?? `errno ${errno}`;
}

/** A ReplaceProcess backed by the native helper at `addon`, loaded on first use. */
export function nativeReplaceProcess(addon: string): ReplaceProcess {
  let exec: NativeExec | undefined;
  return (file, args, env): NotReplaced => {
    const envp = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    // A NUL cannot reach execve; spawn rejects it with Node's own error, which `run` reports.
    if ([file, ...args, ...envp].some((s) => s.includes('\0'))) {
      return { kind: 'unavailable', why: 'an argument or variable holds a NUL byte' };
    }
    if (!exec) {
      try {
        const mod = { exports: {} as unknown };
        process.dlopen(mod, addon);
        exec = mod.exports as NativeExec;
      } catch (e) {
        // Not built (no compiler at install), or built for another platform.
        return { kind: 'unavailable', why: `no native exec helper (${(e as Error).message.split('\n')[0]})` };
      }
    }
    return { kind: 'failed', errno: errnoName(exec(file, [file, ...args], envp)) };
  };
}
