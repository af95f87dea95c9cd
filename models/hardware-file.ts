import { extname } from 'node:path';
import { parseDataText, readTextFile } from '../core/data-file.ts';
import { DseError } from '../core/errors.ts';
import { normalizeHardware } from './hardware.ts';
import { parseScaleSimCfg } from './scalesim-cfg.ts';
import type { Hardware } from './types.ts';

/**
 * Reads a hardware description: a SCALE-Sim .cfg, or YAML/JSON holding the flat hardware fields
 * (optionally under a top-level `hardware:` key). Missing fields take DEFAULT_HARDWARE's values.
 */
export function loadHardwareFile(file: string): Hardware {
  const text = readTextFile(file);
  if (extname(file).toLowerCase() === '.cfg') return normalizeHardware(parseScaleSimCfg(text, file), { file });
  const data = parseDataText(text, file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new DseError('invalid_hardware', 'expected a mapping of hardware fields (peRows, peCols, dataflow, ...)', { file });
  }
  const keys = Object.keys(data);
  if (keys.length === 1 && keys[0] === 'hardware') return normalizeHardware((data as { hardware: unknown }).hardware, { file, pathPrefix: 'hardware' });
  return normalizeHardware(data, { file });
}
