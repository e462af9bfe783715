// JSON: one object mapping each variable name to its value. JSON carries any string.
import { checkCommon, type EnvVar, type Formatter } from './types.js';

export const formatJson: Formatter = (vars: readonly EnvVar[]) => {
  const out: Record<string, string> = {};
  for (const v of vars) {
    checkCommon('json', v);
    out[v.name] = v.value;
  }
  return `${JSON.stringify(out)}\n`;
};
