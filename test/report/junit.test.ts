import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitReport } from '../../grader/report/junit.js';
import type { GradingResults } from '../../grader/results.js';
import { sampleResults } from './sample-results.js';

interface Property { name: string; value: string }
interface Outcome { message: string; type?: string; '#text'?: string }
interface TestCase {
  name: string; classname: string; time: string;
  properties?: unknown; 'system-out'?: string;
  failure?: Outcome; error?: Outcome; skipped?: Outcome | '';
}
interface TestSuite {
  name: string; tests: string; failures: string; errors: string; skipped: string; time: string; timestamp: string;
  properties: { property: Property[] };
  testcase: TestCase[];
  'system-out'?: string;
}
interface Doc { testsuites: { name: string; tests: string; failures: string; errors: string; skipped?: string; time: string; testsuite: TestSuite[] } }

function parse(xml: string): Doc {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true, // decode numeric character references such as &#10;
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml) as Doc;
}

function prop(props: { property: Property[] }, name: string): string | undefined {
  return props.property.find((p) => p.name === name)?.value;
}

describe('junitReport', () => {
  const xml = junitReport(sampleResults());
  const doc = parse(xml);
  const suites = doc.testsuites.testsuite;
  const suite = (id: string) => suites.find((s) => s.name === id)!;

  it('is well-formed XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
  });

  it('counts tests, failures, errors and skips per part and in total', () => {
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).toEqual([
      ['activations', '4', '0', '0', '0'],
      ['layers', '6', '2', '2', '0'],
      ['softmax', '2', '2', '0', '0'],
      ['regularization', '2', '1', '1', '0'],
      ['optim', '2', '0', '2', '0'],
      ['mnist', '1', '0', '0', '0'],
      ['cifar10', '1', '0', '0', '1'],
    ]);
    const t = doc.testsuites;
    expect([t.tests, t.failures, t.errors, t.time]).toEqual(['18', '5', '5', '12.345']);
    expect(t.skipped).toBeUndefined(); // the Jenkins schema has no skipped on <testsuites>: the suites count it
    for (const s of suites) expect(s.testcase).toHaveLength(Number(s.tests));
  });

  it('maps each case status to failure, error or skipped with a type', () => {
    const layers = suite('layers').testcase;
    expect(layers[0].failure ?? layers[0].error ?? layers[0].skipped).toBeUndefined();
    expect(layers[2].failure).toMatchObject({ type: 'WrongAnswer', message: 'dW has shape 5x3, expected 3x5' });
    expect(layers[2].failure?.['#text']).toBe(
      'dW has shape 5x3, expected 3x5\nhint: dW = X^T dout, not dout^T X: the weight gradient looks transposed.');
    expect(layers[4].error?.type).toBe('Timeout');
    expect(layers[5].error?.type).toBe('Crash');
    expect(layers[5].name).toBe('affineBackward: "quoted", with comma');
    expect(suite('softmax').testcase[0].failure?.type).toBe('NotImplemented');
    expect(suite('regularization').testcase[1].error?.type).toBe('Error');
    expect(suite('optim').testcase[0].error?.type).toBe('CompileError');
    const cifar = suite('cifar10').testcase[0];
    expect(cifar.skipped).toMatchObject({ message: expect.stringMatching(/^no CIFAR-10 data/) });
  });

  it('puts a part\'s points in its suite properties, a case\'s in its system-out, and times in seconds', () => {
    const layers = suite('layers');
    expect([prop(layers.properties, 'score'), prop(layers.properties, 'max_score')]).toEqual(['3.5', '5']);
    expect(layers.testcase[3]['system-out']).toBe('points: 0.5/1');
    expect(layers.testcase.every((k) => k.properties === undefined)).toBe(true); // no properties inside a testcase
    expect(layers.time).toBe('1.234');
    expect(layers.testcase[4].time).toBe('2.000');
    expect(layers.testcase.every((k) => k.classname === 'layers')).toBe(true);
  });

  it('keeps captured output in system-out, escaped, without illegal control characters', () => {
    expect(suite('layers')['system-out']).toBe('x < y && y > z ]]> done red\n');
    expect(xml).toContain('x &lt; y &amp;&amp; y &gt; z ]]&gt; done red');
    expect(suite('activations')['system-out']).toBeUndefined();
  });

  it('strips characters XML 1.0 forbids and keeps newlines in attributes', () => {
    const r: GradingResults = sampleResults();
    r.parts[1].cases[2].feedback = ['bad\x00 \x0b\uFFFE\ud800 value\nsecond line'];
    const out = junitReport(r);
    expect(XMLValidator.validate(out)).toBe(true);
    const failure = parse(out).testsuites.testsuite[1].testcase[2].failure!;
    expect(failure.message).toBe('bad  value\nsecond line');
  });

  it('matches the snapshot (times blanked)', async () => {
    const text = xml.replace(/ time="[^"]*"/g, ' time="0"').replace(/ timestamp="[^"]*"/g, ' timestamp="<time>"');
    await expect(text).toMatchFileSnapshot('__snapshots__/junit.xml');
  });
});
