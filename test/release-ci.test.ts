/**
 * The CI templates of the student release. The GitHub workflow is checked by
 * @action-validator/core, which embeds the published workflow JSON Schema
 * (SchemaStore's github-workflow.json); the GitLab file, parsed with `yaml`,
 * against the structure GitLab's CI/CD YAML reference requires (global
 * keywords, jobs with a script, stages declared, artifacts:reports:junit,
 * cache:key:files). Both also have to do what the release promises: install
 * from the lock, grade with a JUnit report and a minimum score, publish the
 * Markdown summary and the HTML report.
 */
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ciTemplates } from '../release/student.js';

const templates = await ciTemplates(60);

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; name?: string };
type Workflow = { on: unknown; jobs: Record<string, { 'runs-on': string; steps: Step[] }> };

describe('.github/workflows/grade.yml', () => {
  const text = templates['.github/workflows/grade.yml'];

  it('is valid against the published workflow schema (and the validator can fail)', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    const broken = text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it('sets up Node with the npm cache, installs from the lock, grades with JUnit and a minimum score', () => {
    const wf = parse(text) as Workflow;
    const steps = Object.values(wf.jobs)[0].steps;
    const setup = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with).toMatchObject({ cache: 'npm' });
    expect(Number(setup?.with?.['node-version'])).toBeGreaterThanOrEqual(20);
    const runs = steps.map((s) => s.run ?? '');
    expect(runs).toContain('npm ci');
    const grade = runs.find((r) => r.startsWith('npm run grade -- '))!;
    expect(grade).toMatch(/--junit \S+\.xml/);
    expect(grade).toMatch(/--min-score 60(\s|$)/);
    expect(grade).toMatch(/--markdown out\/summary\.md/);
    expect(grade).toMatch(/--html out\/grade-report\.html/);
  });

  it('writes the Markdown summary to the job summary and uploads the HTML report, even when grading fails', () => {
    const steps = Object.values((parse(text) as Workflow).jobs)[0].steps;
    const summary = steps.find((s) => s.run?.includes('$GITHUB_STEP_SUMMARY'));
    expect(summary?.run).toContain('out/summary.md');
    expect(summary?.if).toBe('always()');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe('always()');
    expect(String(upload?.with?.path)).toContain('out/grade-report.html');
  });
});

/** Global keywords of .gitlab-ci.yml (GitLab CI/CD YAML syntax reference); every other top-level key is a job. */
const GITLAB_GLOBAL = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);
/** Keywords a job may have (the same reference). */
const GITLAB_JOB = new Set(['after_script', 'allow_failure', 'artifacts', 'before_script', 'cache', 'coverage', 'dast_configuration', 'dependencies',
  'environment', 'extends', 'hooks', 'identity', 'id_tokens', 'image', 'inherit', 'interruptible', 'manual_confirmation', 'needs', 'pages', 'parallel',
  'release', 'resource_group', 'retry', 'rules', 'script', 'secrets', 'services', 'stage', 'tags', 'timeout', 'trigger', 'run', 'variables', 'when']);
const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];

/** The rules of GitLab's reference that a file must meet, as one problem per line ([] when it meets them). */
function gitlabProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const stages = Array.isArray(doc.stages) ? (doc.stages as unknown[]) : DEFAULT_STAGES;
  if (doc.stages !== undefined && !(Array.isArray(doc.stages) && doc.stages.every((s) => typeof s === 'string'))) problems.push('stages must be a list of names');
  const jobs = Object.entries(doc).filter(([k]) => !GITLAB_GLOBAL.has(k) && !k.startsWith('.'));
  if (jobs.length === 0) problems.push('no job');
  for (const [name, value] of jobs) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) { problems.push(`${name}: a job must be a mapping`); continue; }
    const job = value as Record<string, unknown>;
    for (const key of Object.keys(job)) if (!GITLAB_JOB.has(key)) problems.push(`${name}: unknown keyword ${key}`);
    if (job.script === undefined && job.trigger === undefined && job.extends === undefined && job.run === undefined) problems.push(`${name}: needs script`);
    if (job.script !== undefined && !(typeof job.script === 'string' || (Array.isArray(job.script) && job.script.every((s) => typeof s === 'string')))) problems.push(`${name}: script must be a string or a list of strings`);
    if (job.stage !== undefined && !stages.includes(job.stage)) problems.push(`${name}: stage ${String(job.stage)} is not in stages`);
    const artifacts = job.artifacts as Record<string, unknown> | undefined;
    if (artifacts) {
      for (const key of Object.keys(artifacts)) if (!['paths', 'exclude', 'expire_in', 'expose_as', 'name', 'public', 'access', 'reports', 'untracked', 'when'].includes(key)) problems.push(`${name}: unknown artifacts keyword ${key}`);
      if (artifacts.when !== undefined && !['on_success', 'on_failure', 'always'].includes(String(artifacts.when))) problems.push(`${name}: artifacts:when must be on_success, on_failure or always`);
      const junit = (artifacts.reports as Record<string, unknown> | undefined)?.junit;
      if (junit !== undefined && !(typeof junit === 'string' || (Array.isArray(junit) && junit.every((j) => typeof j === 'string')))) problems.push(`${name}: artifacts:reports:junit must be a path or a list of paths`);
    }
    const cacheFiles = ((job.cache as Record<string, unknown> | undefined)?.key as Record<string, unknown> | undefined)?.files;
    if (cacheFiles !== undefined && !(Array.isArray(cacheFiles) && cacheFiles.length >= 1 && cacheFiles.length <= 2)) problems.push(`${name}: cache:key:files takes one or two files`);
  }
  return problems;
}

describe('.gitlab-ci.yml', () => {
  const text = templates['.gitlab-ci.yml'];
  const doc = parse(text) as Record<string, Record<string, unknown>>;

  it('has the structure GitLab\'s reference requires (and the check can fail)', () => {
    expect(gitlabProblems(doc)).toEqual([]);
    expect(gitlabProblems({ ...doc, grade: { ...doc.grade, stage: 'nowhere', scripts: ['x'] } })).toEqual(expect.arrayContaining([
      'grade: unknown keyword scripts', 'grade: stage nowhere is not in stages',
    ]));
    expect(gitlabProblems({ stages: ['grade'], grade: { stage: 'grade' } })).toEqual(['grade: needs script']);
  });

  it('installs from the lock, grades with a minimum score and hands GitLab the JUnit report and the HTML report', () => {
    const job = doc.grade as { image: string; script: string[]; artifacts: { when: string; paths: string[]; reports: { junit: string } } };
    expect(job.image).toMatch(/^node:(2\d|[3-9]\d)/);
    expect(job.script[0]).toMatch(/^npm ci\b/);
    const grade = job.script.find((s) => s.startsWith('npm run grade -- '))!;
    expect(grade).toContain(`--junit ${job.artifacts.reports.junit}`);
    expect(grade).toMatch(/--min-score 60(\s|$)/);
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.paths).toContain('out/grade-report.html');
  });
});
