import { basename } from 'node:path';
import { isDseError } from '../core/errors.ts';
import { architectureFromHardware } from '../models/arch/from-flat-hardware.ts';
import { architectureYaml } from '../models/arch/architecture-yaml.ts';
import { loadHardwareFile } from '../models/hardware-file.ts';

/**
 * `dse eval --hardware <file> --as-architecture`: the flat design expanded into the architecture
 * description (models/arch/from-flat-hardware.ts), printed as a levels file `dse eval --arch` reads.
 */
export function printHardwareAsArchitecture(file: string): void {
  const hw = loadHardwareFile(file);
  let arch;
  try {
    arch = architectureFromHardware(hw);
  } catch (e) {
    throw isDseError(e) ? e.inFile(file) : e;
  }
  const notCarried = [hw.fusion !== 'none' ? `fusion ${hw.fusion}` : '', hw.kvBits !== null ? `kvBits ${hw.kvBits}` : ''].filter((s) => s.length > 0);
  const header =
    `# ${basename(file)} expanded into an architecture (dse eval --as-architecture): the flat systolic template\n` +
    `# as levels, priced with the flat model's 45 nm table at ${hw.techNode}; clockMHz is the clock its DRAM\n` +
    `# words per cycle were derived at (${hw.dramGBps} GB/s), the default clock of dse eval --arch.\n` +
    (notCarried.length > 0 ? `# Not carried over (no counterpart on an architecture): ${notCarried.join(', ')}.\n` : '');
  process.stdout.write(architectureYaml(arch, header));
}
