/**
 * The mutation runner's build: the active mutant reaches the sandboxed child
 * only as a literal written into the instrumentation header, and a header it
 * does not recognise stops the run instead of turning every mutant off.
 */
import { describe, expect, it } from 'vitest';
import { fixActiveMutant } from '../../instructor/mutation/mutant-submission.js';
import { STRYKER_NAMESPACE } from './stryker-header.js';

/** The start of a module as Stryker 9 instruments it (its header, then one mutant switch). */
const INSTRUMENTED = `// @ts-nocheck
${STRYKER_NAMESPACE}export const answer = stryMutAct_9fa48("7") ? 41 : 42;
`;

/** Runs the header of a fixed module in a global with no process at all, as the child might: the mutant it activates. */
function activeIn(source: string): unknown {
  const header = source.slice(source.indexOf('function stryNS_9fa48'), source.indexOf('export const'));
  const g: Record<string, unknown> = { Math };
  return new Function('globalThis', `${header}; return stryNS_9fa48().activeMutant;`)(g);
}

describe('fixActiveMutant', () => {
  it('writes the active mutant into the header, so the child needs no environment', () => {
    const fixed = fixActiveMutant(INSTRUMENTED, '7', 'layers.ts');
    expect(fixed).not.toContain('process');
    expect(fixed).toContain('ns.activeMutant === undefined && "7"');
    expect(activeIn(fixed)).toBe('7');
  });

  it('activates no mutant for the dry run', () => {
    expect(activeIn(fixActiveMutant(INSTRUMENTED, '', 'layers.ts'))).toBeUndefined();
  });

  it('leaves a module Stryker did not instrument as it is', () => {
    const plain = 'export const answer = 42;\n';
    expect(fixActiveMutant(plain, '7')).toBe(plain);
  });

  it('refuses a header it does not recognise, naming the file', () => {
    const changed = INSTRUMENTED.replace('g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__', 'readEnv("__STRYKER_ACTIVE_MUTANT__")');
    expect(() => fixActiveMutant(changed, '7', 'layers.ts')).toThrow(/^layers\.ts: the Stryker instrumentation header reads __STRYKER_ACTIVE_MUTANT__ in an unexpected way/);
  });
});
