/**
 * DRAM-level tiling of one conv-shaped layer (a GEMM is a 1x1 conv on an m x 1 "image" with k
 * input and n output channels). We choose tile sizes and a loop order that fit the on-chip
 * buffers and move the fewest DRAM bytes, by evaluating a handful of closed-form candidates
 * (no enumeration of tile sizes). docs/COST_MODEL.md derives every formula.
 *
 * Operands per group: ifmap I = batch*C*H*W, weights Wt = M*C*Fh*Fw, ofmap O = batch*M*E*F.
 * Tiles: h output rows (full width), m output channels, c input channels.
 * Three loop orders (outermost first), each leaving one operand stationary at the DRAM level:
 *   WS (m, c, h): a weight tile stays while all rows stream through a rolling line buffer
 *                 (Fh + stride input rows x c channels): weights once, ifmap ceil(M/m) times.
 *   IS (h, c, m): a band of h output rows' inputs stays while all filters stream one by one:
 *                 ifmap once (+ halo rows re-read at band edges), weights once per band.
 *   OS (h, m, c): an h x m output tile accumulates on chip while inputs and weights stream one
 *                 channel at a time: outputs written once, ifmap per m-tile, weights per band.
 * When the reduction is split (c < C), partial sums leave and come back at accumulator precision.
 * WS and IS are tried for c = ceil(C / 2^j), OS for h = ceil(E / 2^j); the free tile size (m for
 * WS and OS, h for IS) is the largest that fits. Every candidate's traffic is at least the
 * compulsory traffic and never grows with any buffer (the free size only grows, the candidate set
 * is fixed), so their minimum has both properties as well.
 */

export interface TilingProblem {
  /** Independent copies run back to back (conv groups, batched matmuls). All sizes below are per group. */
  groups: number;
  batch: number;
  inC: number;
  outC: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  strideH: number;
  /** Bytes per element of the first operand (ifmap / A), the second (weights / B), the output, partial sums. */
  ifmapBytes: number;
  weightBytes: number;
  outBytes: number;
  accumBytes: number;
}

/** On-chip buffers in bytes: one shared buffer, or one per operand (ifmap, filter, ofmap). */
export interface Buffers {
  unifiedBytes: number | null;
  ifmapBytes: number;
  filterBytes: number;
  ofmapBytes: number;
}

/** Operands a schedule keeps whole on chip: no DRAM traffic, and space the scheduler reserved. */
export interface Residency {
  ifmap: boolean;
  weights: boolean;
  ofmap: boolean;
}

export interface TilingResult {
  ifmapReadBytes: number;
  weightReadBytes: number;
  /** Partial sums read back. */
  ofmapReadBytes: number;
  /** Final outputs plus partial sums written. */
  ofmapWriteBytes: number;
  dramBytes: number;
  compulsoryBytes: number;
  /** Loop order of the winner: 'ws' | 'is' | 'os' | 'stream' (buffers too small for any tile). */
  order: 'ws' | 'is' | 'os' | 'stream';
  /** Winner's tile: output rows, output channels, input channels. */
  tileH: number;
  tileM: number;
  tileC: number;
}

export const NO_RESIDENCY: Residency = Object.freeze({ ifmap: false, weights: false, ofmap: false });

export function tileLayer(p: TilingProblem, buf: Buffers, res: Residency = NO_RESIDENCY): TilingResult {
  const C = p.inC;
  const M = p.outC;
  const E = p.outH;
  const R = p.kH * p.kW;
  const bI = res.ifmap ? 0 : p.ifmapBytes;
  const bW = res.weights ? 0 : p.weightBytes;
  const bO = res.ofmap ? 0 : p.outBytes;
  // Partial sums of a resident output accumulate in place.
  const bAcc = res.ofmap ? 0 : p.accumBytes;
  // Footprint bytes per element (resident operands live in reserved space).
  const fI = res.ifmap ? 0 : p.ifmapBytes;
  const fW = res.weights ? 0 : p.weightBytes;
  const fO = res.ofmap ? 0 : p.accumBytes;

  const I = p.batch * C * p.inH * p.inW;
  const Wt = M * C * R;
  const O = p.batch * M * E * p.outW;
  const halo = Math.max(0, p.kH - p.strideH);
  const perRowIfmap = p.batch * C * p.inW; // ifmap elements of one input row, all channels, all images
  const unified = buf.unifiedBytes;
  const capI = buf.ifmapBytes;
  const capW = buf.filterBytes;
  const capO = buf.ofmapBytes;

  const compulsory = I * bI + Wt * bW + O * bO;

  let best = Infinity;
  let bIf = 0, bWt = 0, bOr = 0, bOw = 0;
  let bOrder: TilingResult['order'] = 'stream';
  let bH = 1, bM = 1, bC = 1;

  // Everything at once (outputs held at accumulator precision).
  {
    const fi = I * fI, fw = Wt * fW, fo = O * fO;
    const fits = unified !== null ? fi + fw + fo <= unified : fi <= capI && fw <= capW && fo <= capO;
    if (fits) {
      best = compulsory; bIf = I * bI; bWt = Wt * bW; bOr = 0; bOw = O * bO;
      bOrder = 'ws'; bH = E; bM = M; bC = C;
    }
  }

  // Compulsory traffic is the floor of every candidate: once reached, no candidate can do better.
  // WS and IS over the channel-tile ladder.
  for (let c = C, j = 1; best > compulsory; j *= 2, c = Math.ceil(C / j)) {
    const tC = Math.ceil(C / c);
    const psumW = O * ((tC - 1) * bAcc + bO);
    const psumR = O * (tC - 1) * bAcc;

    // WS: rolling line buffer of (Fh + stride) rows of c channels for one image; weight tile m*c*R; one output row of m channels.
    {
      const lineI = c * p.inW * Math.min(p.inH, p.kH + p.strideH) * fI;
      let m: number;
      if (unified !== null) {
        const per = c * R * fW + p.outW * fO;
        const room = unified - lineI;
        m = room < 0 ? 0 : per === 0 ? M : Math.floor(room / per);
      } else {
        m = lineI > capI ? 0 : Math.min(fW === 0 ? M : Math.floor(capW / (c * R * fW)), fO === 0 ? M : Math.floor(capO / (p.outW * fO)));
      }
      if (m >= 1) {
        if (m > M) m = M;
        const tM = Math.ceil(M / m);
        const ifr = I * bI * tM;
        const wr = Wt * bW;
        const total = ifr + wr + psumR + psumW;
        if (total < best) {
          best = total; bIf = ifr; bWt = wr; bOr = psumR; bOw = psumW; bOrder = 'ws'; bH = 1; bM = m; bC = c;
        }
      }
    }

    // IS: band of h output rows (their (h-1)*stride + Fh input rows, c channels); one filter; h rows x 1 channel of outputs.
    {
      const wTile = c * R * fW;
      const rowI = c * p.inW * fI; // one input row of the band
      const rowO = p.outW * fO; // one output row, one channel
      const fullBand = rowI * p.inH + wTile + E * rowO; // the whole image's rows
      let h: number;
      if (unified !== null) {
        if (fullBand <= unified) h = E;
        else {
          const per = rowI * p.strideH + rowO;
          const room = unified - wTile - rowI * (p.kH - p.strideH);
          h = per === 0 ? E : Math.min(E, Math.floor(room / per));
        }
      } else {
        if (wTile > capW) h = 0;
        else if (rowI * p.inH <= capI && E * rowO <= capO) h = E;
        else {
          const hI = rowI === 0 ? E : Math.floor((capI - rowI * (p.kH - p.strideH)) / (rowI * p.strideH));
          const hO = rowO === 0 ? E : Math.floor(capO / rowO);
          h = Math.min(E, hI, hO);
        }
      }
      if (h >= 1) {
        const tH = Math.ceil(E / h);
        const ifr = (I + (tH - 1) * halo * perRowIfmap) * bI;
        const wr = Wt * bW * p.batch * tH;
        const total = ifr + wr + psumR + psumW;
        if (total < best) {
          best = total; bIf = ifr; bWt = wr; bOr = psumR; bOw = psumW; bOrder = 'is'; bH = h; bM = 1; bC = c;
        }
      }
    }
    if (c === 1) break;
  }

  // OS over the row-tile ladder: one input channel of the band and of m filters stream; h x m outputs stay.
  for (let h = E, j = 1; best > compulsory; j *= 2, h = Math.ceil(E / j)) {
    const bandI = p.inW * Math.min(p.inH, (h - 1) * p.strideH + p.kH) * fI;
    let m: number;
    if (unified !== null) {
      const per = R * fW + h * p.outW * fO;
      const room = unified - bandI;
      m = room < 0 ? 0 : per === 0 ? M : Math.floor(room / per);
    } else {
      m = bandI > capI ? 0 : Math.min(fW === 0 ? M : Math.floor(capW / (R * fW)), fO === 0 ? M : Math.floor(capO / (h * p.outW * fO)));
    }
    if (m >= 1) {
      if (m > M) m = M;
      const tM = Math.ceil(M / m);
      const tH = Math.ceil(E / h);
      const ifr = (I + (tH - 1) * halo * perRowIfmap) * bI * tM;
      const wr = Wt * bW * p.batch * tH;
      const ow = O * bO;
      const total = ifr + wr + ow;
      if (total < best) {
        best = total; bIf = ifr; bWt = wr; bOr = 0; bOw = ow; bOrder = 'os'; bH = h; bM = m; bC = 1;
      }
    }
    if (h === 1) break;
  }

  if (best === Infinity) {
    // Not even one row fits: element streaming, the worst case of every order above
    // (ifmap per output channel, weights per output row, partial sums per input channel).
    const ifr = (I + (E - 1) * halo * perRowIfmap) * bI * M;
    const wr = Wt * bW * p.batch * E;
    const psumR = O * (C - 1) * bAcc;
    const psumW = O * ((C - 1) * bAcc + bO);
    best = ifr + wr + psumR + psumW;
    bIf = ifr; bWt = wr; bOr = psumR; bOw = psumW; bOrder = 'stream'; bH = 1; bM = 1; bC = 1;
  }

  const g = p.groups;
  return {
    ifmapReadBytes: bIf * g,
    weightReadBytes: bWt * g,
    ofmapReadBytes: bOr * g,
    ofmapWriteBytes: bOw * g,
    dramBytes: best * g,
    compulsoryBytes: compulsory * g,
    order: bOrder,
    tileH: bH,
    tileM: bM,
    tileC: bC,
  };
}
