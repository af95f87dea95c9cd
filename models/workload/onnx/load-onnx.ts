import { readBinaryFile } from '../../../core/data-file.ts';
import { onnxToWorkload, type OnnxImport } from './onnx-to-workload.ts';

/** Reads an .onnx file and imports it (see onnxToWorkload). */
export function loadOnnxFile(file: string, params: Record<string, number | string> = {}): OnnxImport {
  return onnxToWorkload(readBinaryFile(file), file, params);
}
