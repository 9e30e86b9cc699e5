/**
 * An OS isolation layer a test needs, as a system tool (test/system-tool.ts): skipped
 * with a note where this machine cannot give it, a failure under CI (root, util-linux).
 */
import { probeIsolation, type OsLayerId } from '../../grader/sandbox/layers.js';
import { systemTool, type SystemTool } from '../system-tool.js';

const isolation = await probeIsolation();

/** The layers in `ids`, all active here (each probed as the grader would). */
export function osLayers(...ids: OsLayerId[]): SystemTool {
  const missing = isolation.layers.filter((l) => ids.includes(l.id as OsLayerId) && !l.active);
  const what = missing.map((l) => `${l.id} (${l.detail})`).join(', ') || ids.join(', ');
  return systemTool(`the isolation layer ${what}`, missing.length === 0, "run the tests as root on Linux with util-linux's setpriv, prlimit and unshare");
}
