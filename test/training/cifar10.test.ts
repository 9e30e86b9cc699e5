import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticCifar10, writeCifar10TarGz } from '../../starter/provided/data/index.js';
import { grade } from '../../grader/grade.js';
import { referenceSubmission } from './submission.js';

let tmp: string;
let submission: string;
let dataDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cifar-part-'));
  dataDir = path.join(tmp, 'cifar-10-batches-bin');
  makeSyntheticCifar10(dataDir, { trainPerBatch: 200, test: 200, batches: 2 });
  submission = await referenceSubmission();
});
afterAll(async () => Promise.all([rm(tmp, { recursive: true, force: true }), rm(submission, { recursive: true, force: true })]));

describe('the CIFAR-10 training part', () => {
  it('is not run without data, says how to provide it, and is left out of the maximum unless required', async () => {
    const r = await grade({ submission, parts: ['train_cifar10', 'train_moons'] });
    const part = r.parts.find((p) => p.id === 'train_cifar10')!;
    expect(part.status).toBe('not_run');
    expect(part.notRunReason).toMatch(/^left out of the maximum score: .*binary version.*--cifar10 PATH.*CIFAR10_PATH/);
    expect([part.maxScore, r.notAttempted]).toEqual([0, 0]);
    expect(r.parts.find((p) => p.id === 'train_moons')!.status).toBe('passed');
    expect(r.score).toBe(r.maxScore); // a correct submission has full marks

    const required = await grade({ submission, parts: ['train_cifar10'], requiredParts: ['train_cifar10'] });
    expect(required.parts[0]).toMatchObject({ status: 'not_run', score: 0, maxScore: 5 });
    expect(required.notAttempted).toBe(5);
  });

  it('passes for the reference on a learnable data set in the real binary format (folder and .tar.gz)', async () => {
    const archive = path.join(tmp, 'cifar-10-binary.tar.gz');
    writeCifar10TarGz(dataDir, archive);
    for (const data of [dataDir, archive]) {
      const r = await grade({ submission, parts: ['train_cifar10'], data: { cifar10: data } });
      const part = r.parts[0];
      expect(part.status, JSON.stringify(part.cases.map((c) => c.feedback))).toBe('passed');
      expect(part.artifacts?.confusion).toHaveLength(10);
      expect(r.notAttempted).toBe(0);
    }
  });

  it('reports a broken data path as an error of the part, not a crash', async () => {
    const r = await grade({ submission, parts: ['train_cifar10'], data: { cifar10: path.join(tmp, 'nowhere') } });
    expect(r.parts[0].status).toBe('error');
    expect(r.parts[0].cases[0].feedback[0]).toMatch(/nowhere/);
  });
});
