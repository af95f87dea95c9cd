import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { writeSyntheticRun } from '../results/report/synthetic-run.ts';
import { DSE_BIN } from './cli-helpers.ts';

/**
 * Opens a real `dse report` in headless Chromium, offline, and checks what a reader sees:
 * no console errors, no network request, every plot drawn, the front table holding exactly
 * the front's designs (computed here from the journal, apart from the report code), and a
 * hostile study name shown as text (no alert). Chromium is driven through the DevTools
 * protocol over a pipe (--remote-debugging-pipe: NUL-terminated JSON on fds 3 and 4), so no
 * npm package is needed. Saves test-artifacts/report.png.
 */

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const EVIL = '<script>alert(1)</script>';

/** Installs Debian's chromium when missing and we are root; returns why not when it cannot. */
function ensureChromium(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.getuid?.() !== 0) return 'chromium is missing and installing it needs root';
  const install = (): boolean => spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore' });
    if (!install()) return 'apt-get install -y chromium failed';
  }
  return existsSync(CHROMIUM) ? null : 'chromium not found after install';
}

interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

/** A minimal DevTools-protocol client over Chromium's debugging pipe. */
/**
 * The run's Pareto front, computed from its journal without the report code: seqs of ok
 * trials whose objective vector (minimised) no other ok trial dominates.
 */
function frontSeqsOfJournal(file: string): number[] {
  const trials = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { type?: string; seq: number; status: string; objectives?: number[] })
    .filter((t) => t.type !== 'header' && t.status === 'ok');
  const dominates = (a: number[], b: number[]): boolean => a.every((v, k) => v <= b[k]!) && a.some((v, k) => v < b[k]!);
  return trials.filter((t) => !trials.some((u) => dominates(u.objectives!, t.objectives!))).map((t) => t.seq).sort((a, b) => a - b);
}

class Cdp {
  private nextId = 1;
  private buf = '';
  private readonly pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  readonly events: CdpEvent[] = [];
  private readonly waiters: { method: string; resolve: (e: CdpEvent) => void }[] = [];

  constructor(private readonly out: Writable, input: Readable) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.buf += chunk;
      for (let i = this.buf.indexOf('\0'); i >= 0; i = this.buf.indexOf('\0')) {
        const msg = JSON.parse(this.buf.slice(0, i)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } } & CdpEvent;
        this.buf = this.buf.slice(i + 1);
        if (msg.id !== undefined) {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          if (msg.error) p?.reject(new Error(msg.error.message));
          else p?.resolve(msg.result ?? {});
        } else {
          this.events.push(msg);
          for (const w of this.waiters.filter((x) => x.method === msg.method)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(msg);
          }
        }
      }
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.out.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  waitFor(method: string, timeoutMs: number): Promise<CdpEvent> {
    const seen = this.events.find((e) => e.method === method);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      this.waiters.push({ method, resolve: (e) => { clearTimeout(timer); resolve(e); } });
    });
  }
}

function launch(profile: string): { proc: ChildProcess; cdp: Cdp } {
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic', `--user-data-dir=${profile}`,
    // Any host name resolves nowhere: a request that slipped through could not leave the machine.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost', '--proxy-server=127.0.0.1:9',
    // WebGL (3-D scatter, parallel coordinates) on the CPU, since there is no GPU here.
    '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    '--hide-scrollbars', '--remote-debugging-pipe', 'about:blank',
  ];
  const proc = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const cdp = new Cdp(proc.stdio[3] as Writable, proc.stdio[4] as Readable);
  return { proc, cdp };
}

test('the HTML report renders offline in Chromium: plots drawn, table filled, no errors, no alert, no network', { timeout: 120_000 }, async (t) => {
  const why = ensureChromium();
  if (why) {
    t.skip(why);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
  const { proc, cdp } = launch(join(dir, 'profile'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 600, seed: 11, name: EVIL });
    const printed = execFileSync(process.execPath, [DSE_BIN, 'report', run], { cwd: dir, encoding: 'utf8' }).trim();
    assert.equal(printed, join(run, 'report.html'));

    const { targetId } = (await cdp.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const s = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> => cdp.send(method, params, sessionId);
    await s('Page.enable');
    await s('Runtime.enable');
    await s('Log.enable');
    await s('Network.enable');
    await s('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
    await s('Page.navigate', { url: pathToFileURL(printed).href });
    await cdp.waitFor('Page.loadEventFired', 60_000);

    // Plotly draws synchronously for SVG plots, WebGL ones a frame later: poll until every container holds a plot.
    const evaluate = async (expression: string): Promise<unknown> =>
      ((await s('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: unknown } }).result.value;
    const state = `(() => { const c = [...document.querySelectorAll('.plot[data-fig]')];
      return { containers: c.length, drawn: c.filter((el) => el.classList.contains('js-plotly-plot') && el.querySelector('svg.main-svg')).length,
        gl: c.filter((el) => el.querySelector('canvas')).length,
        glFailed: document.body.innerText.includes('WebGL is not supported') }; })()`;
    let st = (await evaluate(state)) as { containers: number; drawn: number; gl: number; glFailed: boolean };
    for (let i = 0; i < 100 && st.drawn < st.containers; i++) {
      await new Promise((r) => setTimeout(r, 200));
      st = (await evaluate(state)) as typeof st;
    }
    await new Promise((r) => setTimeout(r, 500));

    const page = (await evaluate(`(() => ({
      title: document.getElementById('study-name').textContent,
      scripts: document.scripts.length,
      frontRows: document.querySelectorAll('#front-table tbody tr').length,
      // The seq column's sort key (its text may carry a '(knee)' mark).
      frontSeqs: [...document.querySelectorAll('#front-table tbody tr')].map((r) => Number(r.cells[0].getAttribute('data-v'))),
      seqHeading: document.querySelector('#front-table thead th').textContent,
      frontCells: [...document.querySelectorAll('#front-table tbody tr:first-child td')].map((td) => td.textContent),
      headings: [...document.querySelectorAll('section.cell h2')].map((h) => h.textContent),
    }))()`)) as { title: string; scripts: number; frontRows: number; frontSeqs: number[]; seqHeading: string; frontCells: string[]; headings: string[] };

    // Sorting: clicking the first objective's header twice sorts it descending.
    const sorted = (await evaluate(`(() => { const ths = [...document.querySelectorAll('#front-table thead th')];
      const th = ths.find((h) => h.textContent.startsWith('latency')); th.click(); th.click();
      const col = ths.indexOf(th);
      return [...document.querySelectorAll('#front-table tbody tr')].map((r) => Number(r.cells[col].textContent)); })()`)) as number[];

    // What drives the front: the rules table and the importance chart are there and drawn.
    const drivers = (await evaluate(`(() => ({
      rules: document.querySelectorAll('#rules-table tbody tr').length,
      bars: document.querySelectorAll('#fig-importance g.trace.bars path').length,
      importanceTraces: (document.getElementById('fig-importance').data || []).length,
    }))()`)) as { rules: number; bars: number; importanceTraces: number };

    // Colour by: choosing another parameter recolours the points; the log box switches log axes to linear.
    const controls = (await evaluate(`(async () => {
      const figs = [...document.querySelectorAll('.plot[data-fig^="pareto-"]')];
      const colours = () => figs.map((el) => el.data.filter((t) => t.meta === 'colour-points').map((t) => JSON.stringify(t.marker.color)).join('|')).join('#');
      const legend = () => figs[0].data.filter((t) => t.meta === 'colour-legend').map((t) => t.name);
      const select = document.getElementById('colour-by');
      const before = { colours: colours(), legend: legend(), value: select.options[select.selectedIndex].text };
      select.value = String((select.selectedIndex + 1) % select.options.length);
      select.dispatchEvent(new Event('change'));
      await new Promise((r) => setTimeout(r, 300));
      const after = { colours: colours(), legend: legend(), value: select.options[select.selectedIndex].text };
      const logFig = figs.find((el) => el.layout.xaxis && el.layout.xaxis.type === 'log');
      const box = document.getElementById('log-axes');
      const axisBefore = logFig ? logFig.layout.xaxis.type : null;
      box.checked = false;
      box.dispatchEvent(new Event('change'));
      await new Promise((r) => setTimeout(r, 300));
      const axisAfter = logFig ? logFig.layout.xaxis.type : null;
      box.checked = true;
      box.dispatchEvent(new Event('change'));
      await new Promise((r) => setTimeout(r, 300));
      return { before, after, axisBefore, axisAfter, axisBack: logFig ? logFig.layout.xaxis.type : null };
    })()`)) as { before: { colours: string; legend: string[]; value: string }; after: { colours: string; legend: string[]; value: string }; axisBefore: string | null; axisAfter: string | null; axisBack: string | null };

    // Full-page screenshot.
    const metrics = (await s('Page.getLayoutMetrics')) as { cssContentSize: { width: number; height: number } };
    const shot = (await s('Page.captureScreenshot', {
      format: 'png', captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: 1280, height: Math.min(16000, Math.ceil(metrics.cssContentSize.height)), scale: 1 },
    })) as { data: string };
    mkdirSync(join(repo, 'test-artifacts'), { recursive: true });
    writeFileSync(join(repo, 'test-artifacts/report.png'), Buffer.from(shot.data, 'base64'));

    const errors = [
      ...cdp.events.filter((e) => e.method === 'Runtime.exceptionThrown').map((e) => JSON.stringify(e.params.exceptionDetails).slice(0, 300)),
      ...cdp.events.filter((e) => e.method === 'Runtime.consoleAPICalled' && (e.params.type === 'error' || e.params.type === 'warning'))
        .map((e) => JSON.stringify(e.params.args).slice(0, 300)),
      ...cdp.events.filter((e) => e.method === 'Log.entryAdded' && (e.params.entry as { level: string }).level === 'error')
        .map((e) => JSON.stringify(e.params.entry).slice(0, 300)),
    ];
    const requests = cdp.events
      .filter((e) => e.method === 'Network.requestWillBeSent')
      .map((e) => (e.params.request as { url: string }).url)
      .filter((u) => !/^(file|data|blob|about):/.test(u));
    const dialogs = cdp.events.filter((e) => e.method === 'Page.javascriptDialogOpening');

    assert.deepEqual(errors, [], 'console errors');
    assert.deepEqual(requests, [], 'network requests');
    assert.equal(dialogs.length, 0, 'an alert opened');
    assert.equal(st.glFailed, false, 'WebGL plots failed');
    assert.ok(st.containers >= 8, `${st.containers} plot containers`);
    assert.equal(st.drawn, st.containers, `${st.drawn} of ${st.containers} plots drawn`);
    assert.ok(st.gl >= 2, 'the 3-D view and parallel coordinates draw on canvases');
    assert.equal(page.title, EVIL, 'the study name shows as text');
    assert.equal(page.scripts, 5, 'only the page’s own script elements');
    const expectedSeqs = frontSeqsOfJournal(join(run, 'journal.jsonl'));
    assert.ok(expectedSeqs.length >= 3, `the synthetic run's front has ${expectedSeqs.length} designs`);
    assert.equal(page.seqHeading, 'seq');
    assert.equal(page.frontRows, expectedSeqs.length, `${page.frontRows} front rows`);
    assert.deepEqual([...page.frontSeqs].sort((a, b) => a - b), expectedSeqs, 'the front table holds exactly the front designs');
    assert.ok(page.frontCells.every((c) => c.length > 0));
    assert.equal(page.headings.length, 7);
    assert.ok(drivers.rules >= 1, 'the design rules table has rows');
    assert.ok(drivers.importanceTraces === 3 && drivers.bars > 0, `importance chart: ${drivers.importanceTraces} traces, ${drivers.bars} bars drawn`);
    assert.equal(controls.before.value, 'dataflow', 'points are coloured by the categorical parameter by default');
    assert.notEqual(controls.after.value, controls.before.value);
    assert.notEqual(controls.after.colours, controls.before.colours, 'the colour-by menu changes the trace colours');
    assert.ok(controls.after.legend.every((n) => n.startsWith(`${controls.after.value} = `)) && controls.after.legend.length > 1, `legend ${controls.after.legend}`);
    assert.deepEqual([controls.axisBefore, controls.axisAfter, controls.axisBack], ['log', 'linear', 'log'], 'the log box switches the axis type');
    assert.ok(sorted.length === page.frontRows && sorted.every((v, i) => i === 0 || sorted[i - 1]! >= v), `sorted descending: ${sorted.slice(0, 5)}`);
  } finally {
    try {
      await Promise.race([cdp.send('Browser.close'), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // already gone
    }
    const exited = (ms: number): Promise<unknown> =>
      proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => setTimeout(r, ms))]);
    await exited(5000);
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await exited(5000);
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
});
