// The hidden prompt, on a real pseudo-terminal (python3's pty module drives it like a person would):
// nothing typed is echoed, the token is stored, and Ctrl-C cancels without storing anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, CANARY, requireTool, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

// Waits for the prompt, types KEYS (from the environment, not argv), and returns all the terminal showed.
const DRIVER = `
import json, os, pty, select, sys, time
argv = json.loads(sys.argv[1])
keys = os.environ.pop('PTY_KEYS').encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out, sent, deadline = b'', False, time.time() + 20
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.1)
    if fd not in r:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if not sent and b'input is hidden' in out:
        time.sleep(0.2)
        os.write(fd, keys)
        sent = True
_, status = os.waitpid(pid, 0)
print(json.dumps({'screen': out.decode('utf-8', 'replace'), 'code': os.waitstatus_to_exitcode(status)}))
`;

function onTerminal(b: Sandbox, args: string[], keys: string): { screen: string; code: number } {
  const python = requireTool('python3');
  const r = spawnSync(python, ['-c', DRIVER, JSON.stringify([process.execPath, BIN, ...args])], {
    cwd: b.home,
    env: { ...b.env, PTY_KEYS: keys, TERM: 'xterm' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('cred login on a terminal', () => {
  it('prompts without echo, and stores what was typed (backspace works)', () => {
    box = sandbox();
    // A typo fixed with backspace, then Enter.
    const t = onTerminal(box, ['login', 'qoder', '--store', 'file'], `${CANARY}X\u007f\r`);
    expect(t.code).toBe(0);
    expect(t.screen).toContain('Paste your Qoder token (input is hidden): ');
    expect(t.screen).not.toContain(CANARY);
    expect(t.screen).not.toContain(CANARY.slice(3, 12));
    expect(t.screen).not.toContain('*');
    expect(t.screen).toContain(`pt-…${CANARY.slice(-4)} stored in ~/.config/cred/credentials [qoder]`);
    expect(readFileSync(box.path('.config/cred/credentials'), 'utf8')).toBe(`[qoder]\ntoken = ${CANARY}\n`);
  });

  it('Ctrl-C cancels: exit 2, nothing stored', () => {
    box = sandbox();
    const t = onTerminal(box, ['login', 'qoder', '--store', 'file'], 'pt-half-typed\u0003');
    expect(t.code).toBe(2);
    expect(t.screen).toContain('login cancelled');
    expect(t.screen).not.toContain('pt-half-typed');
    expect(existsSync(box.path('.config'))).toBe(false);
  });

  it('an empty entry is refused (exit 2)', () => {
    box = sandbox();
    const t = onTerminal(box, ['login', 'qoder', '--store', 'file'], '\r');
    expect(t.code).toBe(2);
    expect(t.screen).toContain('refusing to store an empty Qoder token');
  });
});
