/**
 * The JUnit report against the Jenkins JUnit schema's structure
 * (junit-jenkins.xsd beside this file, which says where its rules come from),
 * checked with xmllint. Without xmllint the test is skipped on a developer's
 * machine but fails under CI=true, where .ci/run installs it (test/system-tool.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { junitReport } from '../../grader/report/junit.js';
import { sampleResults } from './sample-results.js';
import { systemTool } from '../system-tool.js';

const XSD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'junit-jenkins.xsd');
const xmllint = systemTool('xmllint', spawnSync('xmllint', ['--version']).status === 0, 'apt-get install -y libxml2-utils');
const dir = mkdtempSync(path.join(os.tmpdir(), 'junit-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** xmllint's verdict on `xml`: the exit code and its messages. */
function validate(xml: string, name: string): { status: number | null; output: string } {
  const file = path.join(dir, name);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.skipIf(xmllint.skip)(`JUnit report against the Jenkins JUnit schema (xmllint)${xmllint.note}`, () => {
  it('validates the report of every case status', () => {
    xmllint.check();
    const r = validate(junitReport(sampleResults()), 'report.xml');
    expect(r.output).toContain('validates');
    expect(r.status).toBe(0);
  });

  it('rejects properties inside a testcase and skipped on testsuites (the checks can fail)', () => {
    xmllint.check();
    const withProperties = junitReport(sampleResults()).replace(/(<testcase [^>]*>)/, '$1<properties><property name="score" value="1"/></properties>');
    expect(validate(withProperties, 'case-properties.xml').status).not.toBe(0);
    const withSkipped = junitReport(sampleResults()).replace('<testsuites ', '<testsuites skipped="1" ');
    expect(validate(withSkipped, 'suites-skipped.xml').status).not.toBe(0);
  });
});
