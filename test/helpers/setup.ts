// Runs in every test file: sandboxes a test forgot to clean up (a second HOME made inside a test,
// a test that failed half-way) are removed when the file is done, so /tmp does not fill up.
import { afterAll } from 'vitest';
import { cleanupAllSandboxes } from './cli.js';

afterAll(() => cleanupAllSandboxes());
