// Value hygiene (SPEC §4): trim, and warn — naming the source, never the value — about values that
// are probably not what the user meant. A suspicious value is still used: refusing would break
// setups that work today.
import type { Provider } from '../provider.js';

export interface CleanValue {
  value: string;
  warnings: string[];
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const SCHEME = /^(bearer|token)\s/i;

export function cleanValue(raw: string, source: string, provider: Provider): CleanValue {
  const value = raw.trim();
  const warnings: string[] = [];
  if (value === '') return { value, warnings };
  if (CONTROL.test(value)) warnings.push(`${source}: the value contains a control character`);
  const scheme = SCHEME.exec(value);
  if (scheme) {
    warnings.push(
      `${source}: the value starts with "${scheme[1]} " — store the token alone; cred adds the header scheme`,
    );
  }
  if (provider.prefix && !value.startsWith(provider.prefix) && !scheme) {
    warnings.push(
      `${source}: the value does not look like a ${provider.name} token (expected prefix ${provider.prefix})`,
    );
  }
  return { value, warnings };
}
