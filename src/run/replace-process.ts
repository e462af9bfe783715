// `cred run` without --mask becomes the command, as a shell's `exec` does (and `aws-vault exec`,
// `direnv exec`, `envchain`): no cred process stays between the caller and the command, so its
// exit status, every signal and job control are the command's own, not forwarded copies, and cred
// pays for neither node:child_process nor a fork and a wait (docs/speed.md). Node 20 has no
// execve, so dist/native/exec.node (src/native/exec.c) does it; where that helper was not built or
// does not load, `run` spawns the command and waits, as before.
import type { NotReplaced, PrepareReplace } from '../deps.js';

interface NativeExec {
  /** Descriptors 0–2's file status flags (-1: not open). */
  stdioFlags(): number[];
  /** execvpe after putting stdio's flags back; returns the errno when nothing was run. */
  exec(file: string, argv: string[], envp: string[], stdioFlags: number[]): number;
}

/** Replacing the process through the native helper at `addon`, loaded when prepared. */
export function nativeReplaceProcess(addon: string): PrepareReplace {
  return () => {
    let native: NativeExec;
    try {
      const mod = { exports: {} as unknown };
      process.dlopen(mod, addon);
      native = mod.exports as NativeExec;
    } catch (e) {
      // Not built (no compiler at install), or built for another platform.
      return { kind: 'unavailable', why: `no native exec helper (${(e as Error).message.split('\n')[0]})` };
    }
    // Before anything makes a Node stream over a descriptor (a plugin's console.error, a write
    // that would block), which leaves it non-blocking: the command, and the caller sharing it,
    // get it as it came.
    const stdioFlags = native.stdioFlags();
    return (file, args, env): NotReplaced => {
      const envp = Object.entries(env).map(([k, v]) => `${k}=${v}`);
      // A NUL cannot reach execve; spawn rejects it with Node's own error, which `run` reports.
      if ([file, ...args, ...envp].some((s) => s.includes('\0'))) {
        return { kind: 'unavailable', why: 'an argument or variable holds a NUL byte' };
      }
      // Node 22+ writes its compile cache (bin/cred enables it) when the process exits, which this
      // one never does. Node 20 has none, and is spared loading node:module for it.
      if (Number.parseInt(process.versions.node, 10) >= 22) {
        const { flushCompileCache } = process.getBuiltinModule('node:module') as {
          flushCompileCache?: () => void;
        };
        flushCompileCache?.();
      }
      const errno = native.exec(file, [file, ...args], envp, stdioFlags);
      return { kind: 'failed', errno: process.getBuiltinModule('node:util').getSystemErrorName(-errno) };
    };
  };
}
