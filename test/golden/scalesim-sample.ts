/**
 * The SCALE-Sim v2 reference runs, for the golden tests: SCALE-Sim v2
 * (scalesim-project/scale-sim-v2, commit 22f88b1, CALC bandwidth mode, 32x32 array,
 * 64/64/64 KiB SRAMs): the CSV of those runs, copied verbatim here so the tests need nothing
 * outside the repository.
 */
import type { Conv2dOp, Dataflow } from '../../models/types.ts';

const CSV = `config,rows,cols,sram_kB_ifmap/filter/ofmap,dataflow,input_mode,layer,H,W,Fh,Fw,C,M,stride,total_cycles,stall_cycles,overall_util_pct,mapping_eff_pct,sram_ifmap_reads,sram_filter_reads,sram_ofmap_writes
scale,32,32,64/64/64,is,conv,Conv1,224,224,7,7,3,64,2,299409,0,37.129394907968695,91.66288753298153,1778700,3565632,3872000
scale,32,32,64/64/64,is,conv,Conv2_1a,56,56,3,3,64,64,1,261647,0,40.12123204164389,99.04891304347827,1679616,3391488,3359232
scale,32,32,64/64/64,is,conv,Conv3_s,56,56,1,1,64,128,2,11987,0,56.12747142737966,97.33796296296296,53824,221184,215296
scale,32,32,64/64/64,is,conv,Conv5_2a,7,7,3,3,512,512,1,87263,0,66.00735707000676,78.125,115200,2359296,1843200
scale,32,32,64/64/64,is,conv,FC,1,1,1,1,512,1000,1,17503,0,2.856653145175113,3.125,512,512000,16000
scale,32,32,64/64/64,is,conv,Inc5b_3x3,7,7,3,3,192,384,1,25811,0,62.76393785595289,78.125,43200,663552,518400
scale,32,32,64/64/64,os,conv,Conv1,224,224,7,7,3,64,2,158421,0,70.17298842956426,99.76912928759894,3557400,3565632,822912
scale,32,32,64/64/64,os,conv,Conv2_1a,56,56,3,3,64,64,1,117391,0,89.42423184060107,99.04891304347827,3359232,3391488,198400
scale,32,32,64/64/64,os,conv,Conv3_s,56,56,1,1,64,128,2,13607,0,49.44513853163813,97.33796296296296,215296,221184,114560
scale,32,32,64/64/64,os,conv,Conv5_2a,7,7,3,3,512,512,1,74719,0,77.08882613525341,78.125,1843200,2359296,13824
scale,32,32,64/64/64,os,conv,FC,1,1,1,1,512,1000,1,18367,0,2.722273642946589,3.0517578125,16384,512000,3048
scale,32,32,64/64/64,os,conv,Inc5b_3x3,7,7,3,3,192,384,1,21479,0,75.42250570324504,78.125,518400,663552,10368
scale,32,32,64/64/64,ws,conv,Conv1,224,224,7,7,3,64,2,121939,0,91.16750998450044,91.875,3557400,9408,3872000
scale,32,32,64/64/64,ws,conv,Conv2_1a,56,56,3,3,64,64,1,108359,0,96.87797045007798,100.0,3359232,36864,3359232
scale,32,32,64/64/64,ws,conv,Conv3_s,56,56,1,1,64,128,2,7479,0,89.9585506083701,100.0,215296,8192,215296
scale,32,32,64/64/64,ws,conv,Conv5_2a,7,7,3,3,512,512,1,274175,0,21.008479985410776,100.0,1843200,2359296,1843200
scale,32,32,64/64/64,ws,conv,FC,1,1,1,1,512,1000,1,48639,0,1.0279816608071712,97.65625,16384,512000,16000
scale,32,32,64/64/64,ws,conv,Inc5b_3x3,7,7,3,3,192,384,1,77111,0,21.008675805008366,100.0,518400,663552,518400
scale,32,32,64/64/64,is,gemm,Test 1,128,256,1,256,1,64,1,5055,0,40.51434223541048,100.0,32768,65536,65536
scale,32,32,64/64/64,is,gemm,Odd,100,300,1,300,1,37,1,5239,0,20.69067331551823,73.2421875,30000,44400,37000
scale,32,32,64/64/64,os,gemm,Test 1,128,256,1,256,1,64,1,2543,0,80.5348014156508,100.0,65536,65536,8704
scale,32,32,64/64/64,os,gemm,Odd,100,300,1,300,1,37,1,2895,0,37.443329015544045,45.166015625,60000,44400,4212
scale,32,32,64/64/64,ws,gemm,Test 1,128,256,1,256,1,64,1,3551,0,57.673894677555616,100.0,65536,16384,65536
scale,32,32,64/64/64,ws,gemm,Odd,100,300,1,300,1,37,1,3879,0,27.944943928847643,54.19921875,60000,11100,37000`;

/** One reference run: the layer as SCALE-Sim sees it and what SCALE-Sim reported. */
export interface ScaleSimRow {
  rows: number; cols: number; dataflow: Dataflow; mode: string; layer: string;
  H: number; W: number; Fh: number; Fw: number; C: number; M: number; stride: number;
  totalCycles: number; mappingEffPct: number; utilPct: number;
  ifmapReads: number; filterReads: number; ofmapWrites: number;
}

export const SCALESIM_SAMPLE: ScaleSimRow[] = CSV.split('\n').slice(1).map((line) => {
  const f = line.split(',');
  const n = (i: number): number => Number(f[i]);
  return {
    rows: n(1), cols: n(2), dataflow: f[4] as Dataflow, mode: f[5]!, layer: f[6]!,
    H: n(7), W: n(8), Fh: n(9), Fw: n(10), C: n(11), M: n(12), stride: n(13),
    totalCycles: n(14), utilPct: n(16), mappingEffPct: n(17), ifmapReads: n(18), filterReads: n(19), ofmapWrites: n(20),
  };
});

/** A layer in SCALE-Sim's terms (a GEMM is its conv with H=M, W=K, Fh=1, Fw=K, C=1). */
export interface ScaleSimLayer {
  name: string; H: number; W: number; Fh: number; Fw: number; C: number; M: number; stride: number;
}

/** The layer as SCALE-Sim sees it: no padding, output size ceil((H - Fh + S) / S). */
export function scaleSimConv(l: ScaleSimLayer): Conv2dOp {
  return {
    kind: 'conv2d', name: l.name, inputs: ['x'], output: 'y', batch: 1,
    inH: l.H, inW: l.W, inC: l.C, outC: l.M, kH: l.Fh, kW: l.Fw, strideH: l.stride, strideW: l.stride,
    padH: 0, padW: 0, groups: 1,
    outH: Math.ceil((l.H - l.Fh + l.stride) / l.stride), outW: Math.ceil((l.W - l.Fw + l.stride) / l.stride),
  };
}
