import type { ParamValue } from '../core/types.ts';
import { DEFAULT_HARDWARE, normalizeHardware } from '../models/hardware.ts';
import type { Hardware } from '../models/types.ts';

/**
 * The hardware of a design (the study's fixed values overlaid with the design), as
 * `normalizeHardware` gives it, without running the schema on every trial: the hardware schema
 * checks each field on its own, so a field value it accepted once is accepted again. Values
 * seen for the first time (or rejected) go through `normalizeHardware`, which throws the same
 * DseError it always did. A study's space has few distinct values per parameter, so the memo
 * stays small.
 */
export class DesignHardware {
  private readonly accepted = new Map<string, Set<ParamValue | null>>();

  of(values: Record<string, ParamValue | null | undefined>): Hardware {
    for (const key in values) {
      const v = values[key];
      if (v !== undefined && !this.accepted.get(key)?.has(v)) return this.checked(values);
    }
    const hw: Hardware = { ...DEFAULT_HARDWARE };
    for (const key in values) {
      const v = values[key];
      if (v !== undefined) (hw as unknown as Record<string, unknown>)[key] = v;
    }
    return hw;
  }

  private checked(values: Record<string, ParamValue | null | undefined>): Hardware {
    const hw = normalizeHardware(values);
    for (const key in values) {
      const v = values[key];
      if (v === undefined) continue;
      let set = this.accepted.get(key);
      if (!set) this.accepted.set(key, (set = new Set()));
      set.add(v);
    }
    return hw;
  }
}
