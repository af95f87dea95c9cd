/**
 * The Python of the notebook's code cells (results/report/ipynb.ts). Constant text: nothing a
 * user wrote (study, workload, parameter names) is ever pasted into it. The one cell that
 * carries data does so as a single JSON string literal (see ipynb.ts), so names stay data.
 * The helpers mirror the report's own code (number format, rounding, front, knee, sample,
 * colours, box statistics), so running the notebook reproduces the stored figures; the
 * notebook test (test/results/report/notebook-runs.test.ts) checks that they agree.
 */

export const NOTEBOOK_CODE = {
  helpers: String.raw`# Helpers that rebuild the report's figures from the run files exactly as dse report draws
# them (same numbers, same colours), so re-running this notebook reproduces its outputs.
import json
import math
import os
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import HTML, display

pio.renderers.default = "plotly_mimetype"
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]
OTHER = "#999999"
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def esc(text):
    """Text for a plotly label: plotly renders a few HTML tags, so they are written as entities."""
    return "".join(ENTITIES.get(c, c) for c in str(text))


def _digits(x, p):
    """x rounded to p significant digits as JavaScript does (ties away from zero): sign, digit string, exponent."""
    d = Decimal(abs(x))
    e = d.adjusted()
    n = int(d.scaleb(p - 1 - e).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if n >= 10**p:
        n //= 10
        e += 1
    return ("-" if x < 0 else ""), str(n), e


def to_precision(x, p):
    """JavaScript's Number.prototype.toPrecision."""
    if x == 0:
        return "0" if p == 1 else "0." + "0" * (p - 1)
    sign, digits, e = _digits(x, p)
    if e < -6 or e >= p:
        return sign + digits[0] + ("." + digits[1:] if p > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    if e >= 0:
        return sign + digits[: e + 1] + ("." + digits[e + 1 :] if p > e + 1 else "")
    return sign + "0." + "0" * (-e - 1) + digits


def to_exponential(x, f):
    """JavaScript's Number.prototype.toExponential."""
    sign, digits, e = _digits(x, f + 1)
    return sign + digits[0] + ("." + digits[1:] if f > 0 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def format_number(x):
    """The report's one number format: 4 significant digits, exponents outside 1e-3..1e6."""
    if isinstance(x, str):
        return x
    if not math.isfinite(x):
        return "NaN" if x != x else ("Infinity" if x > 0 else "-Infinity")
    if x == 0:
        return "0"
    a = abs(x)
    if float(x).is_integer() and a < 1e6:
        return str(int(x))
    if a >= 1e6 or a < 1e-3:
        return re.sub(r"\.?0+e", "e", to_exponential(x, 3), count=1)
    s = to_precision(x, 4)
    return re.sub(r"\.?0+$", "", s, count=1) if "." in s else s


def show_table(table_id):
    """A table as dse report computed it (stored in REPORT, HTML-escaped)."""
    display(HTML(REPORT["tables"][table_id]))


def show_stored_figure(figure_id):
    """A figure dse report computed from what only accel-dse has (its cost model, its exact hypervolume)."""
    go.Figure(REPORT["figures"][figure_id]).show()


def r6(x):
    """Plot coordinates rounded to 6 significant digits, as in the HTML report."""
    return float(to_precision(x, 6)) if math.isfinite(x) and x != 0 else x


def shown(objective, stored):
    return stored * objective["scale"]


def heading(objective):
    return f"{objective['label']} ({objective['unit']})" if objective["unit"] else objective["label"]


def label(v):
    return format_number(v) if isinstance(v, (int, float)) else esc(v)


def dominates(a, b):
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


def non_dominated(points):
    return [i for i, p in enumerate(points) if not any(dominates(q, p) for q in points)]


def stride(items, cap):
    if len(items) <= cap:
        return list(items)
    step = len(items) / cap
    return [items[math.floor(i * step)] for i in range(cap)]


def median(xs):
    s = sorted(xs)
    h = len(s) >> 1
    return s[h] if len(s) % 2 else (s[h - 1] + s[h]) / 2


def quantile(xs, q):
    s = sorted(xs)
    pos = q * (len(s) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)
`,
  load: String.raw`# Every run's journal (journal.jsonl: a header line, then one JSON object per trial) and the
# front it wrote (front.csv), into pandas. Paths are relative to this notebook.
OBJECTIVES = REPORT["objectives"]
PARAMETERS = REPORT["parameters"]
trials_by_key = {}
counts = {"trials": 0, "ok": 0, "infeasible": 0, "failed": 0}
run_fronts = []
for run, directory in enumerate(REPORT["runs"]):
    width = None
    front_keys = None
    rows = []
    with open(os.path.join(directory, "journal.jsonl"), encoding="utf-8") as journal:
        header = None
        for line in journal:
            if not line.strip():
                continue
            try:
                t = json.loads(line)
            except ValueError:
                continue  # a torn last line of a killed run
            if header is None:
                header = t
                continue
            if not isinstance(t, dict) or t.get("status") not in ("ok", "infeasible", "failed") or not isinstance(t.get("hash"), str):
                continue
            counts["trials"] += 1
            counts[t["status"]] += 1
            obj = t.get("objectives")
            if t["status"] == "failed" or not isinstance(obj, list) or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in obj):
                continue
            width = len(obj) if width is None else width
            if len(obj) != width:
                continue
            trial = {"run": run, "seq": t["seq"], "hash": t["hash"], "feasible": t["status"] == "ok", "design": t.get("design", {}), "objectives": [float(v) for v in obj]}
            trials_by_key[(run, t["seq"])] = trial
            rows.append(trial)
    front_csv = os.path.join(directory, "front.csv")
    if os.path.exists(front_csv):
        seqs = set(pd.read_csv(front_csv)["seq"].tolist())
        front, vectors = [], set()
        for t in rows:
            if t["feasible"] and t["seq"] in seqs:
                # Designs with equal objectives: the report keeps the first recorded unless the runs keep them all.
                if REPORT["runFrontsKeepTies"] or tuple(t["objectives"]) not in vectors:
                    front.append(t)
                vectors.add(tuple(t["objectives"]))
        run_fronts.append(front)
    else:
        # No front.csv (a run that was stopped early): the front from the journal, first of equals kept.
        front = []
        for t in rows:
            if not t["feasible"] or any(all(a <= b for a, b in zip(f["objectives"], t["objectives"])) for f in front):
                continue
            front = [f for f in front if not dominates(t["objectives"], f["objectives"])] + [t]
        run_fronts.append(front)

# The combined front: each design once, non-dominated over all runs, sorted by the objectives.
seen, pool = set(), []
for front in run_fronts:
    for t in sorted(front, key=lambda t: t["seq"]):
        if t["hash"] not in seen:
            seen.add(t["hash"])
            pool.append(t)
front = [pool[i] for i in non_dominated([t["objectives"] for t in pool])]
front.sort(key=lambda t: (*t["objectives"], t["run"], t["seq"]))

# The feasible trials dse report sampled (for the sensitivity boxes and the design rules).
SAMPLE = [trials_by_key[(run, seq)] for run, seq in REPORT["sample"]]
trials = pd.DataFrame(
    [{"run": t["run"], "seq": t["seq"], "feasible": t["feasible"], **t["design"], **dict(zip([o["name"] for o in OBJECTIVES], t["objectives"]))} for t in trials_by_key.values()]
)
print(f"{format_number(counts['trials'])} trials ({format_number(counts['ok'])} ok, {format_number(counts['infeasible'])} infeasible, {format_number(counts['failed'])} failed) in {len(REPORT['runs'])} run{'s' if len(REPORT['runs']) > 1 else ''}; {format_number(len(front))} designs on the front")
`,
  pareto: String.raw`# The Pareto plots: every pair of objectives (and the three together when there are three).
# Front designs are the large outlined dots joined as a staircase, the knee a red star; the
# faint cloud is the sample of trials the report drew (REPORT["cloud"] names them).
def knee_index(points):
    m = len(points[0])
    ideal = [min(p[k] for p in points) for k in range(m)]
    nadir = [max(p[k] for p in points) for k in range(m)]
    scale = [(nadir[k] - ideal[k]) if nadir[k] - ideal[k] > 0 else 1 for k in range(m)]
    best, best_dist = 0, math.inf
    for i, p in enumerate(points):
        dist = 0
        for k in range(m):
            v = (p[k] - ideal[k]) / scale[k]
            dist = dist + v * v
        if dist < best_dist:
            best, best_dist = i, dist
    return best


def design_values(design):
    return [design.get(p, "") for p in PARAMETERS]


def custom_data(values, objectives):
    return [label(v) for v in values] + [format_number(shown(OBJECTIVES[i], v)) for i, v in enumerate(objectives)]


HOVER = "<br>".join([f"{esc(p)} = %{{customdata[{i}]}}" for i, p in enumerate(PARAMETERS)] + [f"{esc(heading(o))}: %{{customdata[{len(PARAMETERS) + i}]}}" for i, o in enumerate(OBJECTIVES)]) + "<extra></extra>"
CLOUD = [dict(trials_by_key[(run, seq)], values=design_values(trials_by_key[(run, seq)]["design"])) for run, seq in REPORT["cloud"]]
KNEE = knee_index([t["objectives"] for t in front]) if front else None


def color_choice():
    p = REPORT["colorBy"]
    if p is None:
        return None
    index = PARAMETERS.index(p)
    values = list(dict.fromkeys([t["design"][p] for t in front if p in t["design"]] + [c["values"][index] for c in CLOUD]))
    numeric = all(isinstance(v, (int, float)) for v in values)
    values.sort(key=(lambda v: v) if numeric else (lambda v: str(v).encode("utf-16-be")))
    return {"parameter": p, "index": index, "categories": [label(v) for v in values]}


CHOICE = color_choice()


def category_color(value_label):
    cats = CHOICE["categories"]
    i = cats.index(value_label) if value_label in cats else -1
    return PALETTE[i] if 0 <= i < len(PALETTE) else OTHER


def span_ratio(i):
    vals = [shown(OBJECTIVES[i], t["objectives"][i]) for t in front] + [shown(OBJECTIVES[i], c["objectives"][i]) for c in CLOUD]
    return max(vals) / min(vals) if vals and min(vals) > 0 else 0


def objective_axis(i):
    """Log past 10x, labelled at 2 and 5 between decades while it spans under three decades."""
    ratio = span_ratio(i)
    return {"exponentformat": "power", **({"type": "log", **({"dtick": "D2"} if ratio < 1000 else {})} if ratio > 10 else {})}


def cloud_for(figures):
    cap = max(500, math.floor(12000 / max(1, figures)))
    return stride(CLOUD, cap)


def coords(points, dims, kind):
    axes = ["x", "y", "z"][: len(dims)]
    return {ax: [r6(shown(OBJECTIVES[d], p["objectives"][d])) for p in points] for ax, d in zip(axes, dims)}


def cloud_traces(cloud, dims, kind):
    traces = []
    for feasible in (True, False):
        pts = [c for c in cloud if c["feasible"] == feasible]
        if not pts:
            continue
        coloured = feasible and CHOICE is not None
        color = [category_color(label(p["values"][CHOICE["index"]])) for p in pts] if coloured else ("#00798c" if feasible else "#8d8d8d")
        traces.append({
            "type": kind, "mode": "markers", "name": "dominated trials (sample)" if feasible else "infeasible trials (sample)",
            **coords(pts, dims, kind), "customdata": [custom_data(p["values"], p["objectives"]) for p in pts], "hovertemplate": HOVER,
            **({"meta": "colour-points"} if coloured else {}),
            "marker": {"color": color, "size": 2 if kind == "scatter3d" else 5,
                       "opacity": (0.35 if feasible else 0.25) if kind == "scatter3d" else (0.22 if feasible else 0.18),
                       "symbol": "circle" if feasible else ("x" if kind == "scatter3d" else "x-thin-open")},
        })
    return traces


RUN_COLORS = ["#00798c", "#d1495b", "#edae49", "#66a182", "#2e4057", "#8d6cab", "#e07a5f", "#3d405b"]


def run_front_traces(dims, kind):
    """Runs compared: each run's own front in its colour, named by searcher, budget and seed."""
    traces = []
    for r, designs in enumerate(sorted(f, key=lambda t: (*t["objectives"], t["seq"])) for f in run_fronts):
        color = RUN_COLORS[r % len(RUN_COLORS)]
        name = esc(REPORT["runLabels"][r])
        order = sorted(range(len(designs)), key=lambda i: designs[i]["objectives"][dims[0]])
        if kind == "scatter":
            stair = [order[q] for q in non_dominated([[designs[i]["objectives"][d] for d in dims] for i in order])]
            traces.append({"type": "scatter", "mode": "lines", "name": name, "legendgroup": f"run-{r}", "showlegend": False,
                           **coords([designs[i] for i in stair], dims, kind), "hoverinfo": "skip", "line": {"color": color, "width": 1.5, "shape": "hv"}})
        traces.append({"type": kind, "mode": "markers", "name": f"{name} ({len(designs)} designs)", "legendgroup": f"run-{r}",
                       **coords([designs[i] for i in order], dims, kind),
                       "customdata": [custom_data(design_values(designs[i]["design"]), designs[i]["objectives"]) for i in order], "hovertemplate": HOVER,
                       "marker": {"color": color, "size": 4 if kind == "scatter3d" else 8, "line": {"color": "#222", "width": 1}}})
    return traces


def knee_traces(dims, kind):
    if KNEE is None:
        return []
    return [{"type": kind, "mode": "markers", "name": "knee", **coords([front[KNEE]], dims, kind),
             "customdata": [custom_data(design_values(front[KNEE]["design"]), front[KNEE]["objectives"])],
             "hovertemplate": HOVER, "marker": {"color": "#e41a1c", "size": 7 if kind == "scatter3d" else 15, "symbol": "diamond" if kind == "scatter3d" else "star", "line": {"color": "#333", "width": 1}}}]


def front_traces(dims, kind):
    if len(REPORT["runs"]) > 1:
        return run_front_traces(dims, kind) + knee_traces(dims, kind)
    order = sorted(range(len(front)), key=lambda i: front[i]["objectives"][dims[0]])
    pts = lambda ids: [front[i] for i in ids]
    custom = lambda ids: [custom_data(design_values(front[i]["design"]), front[i]["objectives"]) for i in ids]
    traces = []
    if kind == "scatter":
        projected = [[front[i]["objectives"][d] for d in dims] for i in order]
        stair = [order[k] for k in non_dominated(projected)]
        traces.append({"type": "scatter", "mode": "lines", "name": "front in this projection" if len(OBJECTIVES) > 2 else "front",
                       **coords(pts(stair), dims, kind), "hoverinfo": "skip", "line": {"color": "#444", "width": 1.5, "shape": "hv"},
                       "showlegend": len(OBJECTIVES) > 2})
    color = [category_color(label(front[i]["design"].get(CHOICE["parameter"], ""))) for i in order] if CHOICE else "#d1495b"
    traces.append({"type": kind, "mode": "markers", "name": f"front ({len(front)} designs)", **coords(pts(order), dims, kind),
                   "customdata": custom(order), "hovertemplate": HOVER, **({"meta": "colour-points"} if CHOICE else {}),
                   "marker": {"color": color, "size": 5 if kind == "scatter3d" else 9, "line": {"color": "#222", "width": 1}}})
    return traces + knee_traces(dims, kind)


def legend_traces(kind):
    if CHOICE is None:
        return []
    empty = {"x": [None], "y": [None], "z": [None]} if kind == "scatter3d" else {"x": [None], "y": [None]}
    return [{"type": kind, "mode": "markers", "name": f"{esc(CHOICE['parameter'])} = {c}", **empty,
             "marker": {"color": PALETTE[i] if i < len(PALETTE) else OTHER, "size": 9}, "hoverinfo": "skip", "meta": "colour-legend"}
            for i, c in enumerate(CHOICE["categories"])]


LAYOUT = {"font": {"size": 12}, "paper_bgcolor": "#fff", "plot_bgcolor": "#fff", "hovermode": "closest", "legend": {"orientation": "h", "y": -0.2}}
k = len(OBJECTIVES)
pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
if k == 1:
    cloud = cloud_for(1)
    o = OBJECTIVES[0]
    go.Figure(data=[
        {"type": "scatter", "mode": "markers", "name": "trials (sample)", "x": [c["seq"] for c in cloud], "y": [r6(shown(o, c["objectives"][0])) for c in cloud],
         "marker": {"color": ["#00798c" if c["feasible"] else "#8d8d8d" for c in cloud], "opacity": 0.3, "size": 5}},
        {"type": "scatter", "mode": "markers", "name": "best", "x": [t["seq"] for t in front], "y": [r6(shown(o, t["objectives"][0])) for t in front],
         "marker": {"color": "#d1495b", "size": 12, "symbol": "star"}},
    ], layout={**LAYOUT, "xaxis": {"title": {"text": "trial (seq)"}}, "yaxis": {"title": {"text": esc(heading(o))}}, "height": 380}).show()
else:
    cloud = cloud_for(len(pairs) + (1 if k == 3 else 0))
    for i, j in pairs:
        go.Figure(data=cloud_traces(cloud, [i, j], "scatter") + front_traces([i, j], "scatter") + legend_traces("scatter"), layout={
            **LAYOUT, "height": 460,
            "xaxis": {"title": {"text": esc(heading(OBJECTIVES[i]))}, **objective_axis(i)},
            "yaxis": {"title": {"text": esc(heading(OBJECTIVES[j]))}, **objective_axis(j)},
        }).show()
    if k == 3:
        go.Figure(data=cloud_traces(cloud, [0, 1, 2], "scatter3d") + front_traces([0, 1, 2], "scatter3d") + legend_traces("scatter3d"), layout={
            **LAYOUT, "height": 600, "margin": {"l": 0, "r": 0, "t": 10, "b": 10},
            "scene": {ax: {"title": {"text": esc(heading(OBJECTIVES[d]))}, **objective_axis(d)} for d, ax in enumerate(["xaxis", "yaxis", "zaxis"])},
        }).show()
`,
  parallel: String.raw`# Parallel coordinates over the front: categories as named ticks, powers of two on log2 axes.
def parallel_dimension(p, vals):
    if all(isinstance(v, (int, float)) for v in vals):
        seen = sorted(set(vals))
        if len(seen) > 2 and all(v > 0 and math.log2(v).is_integer() for v in seen):
            return {"label": f"{esc(p)} (log\u2082)", "values": [math.log2(v) for v in vals], "tickvals": [math.log2(v) for v in seen], "ticktext": [format_number(v) for v in seen]}
        return {"label": esc(p), "values": vals, **({"tickvals": seen, "ticktext": [format_number(v) for v in seen]} if len(seen) <= 12 else {})}
    cats = sorted(set(str("" if v is None else v) for v in vals), key=lambda c: c.encode("utf-16-be"))
    return {"label": esc(p), "values": [cats.index(str("" if v is None else v)) for v in vals], "tickvals": list(range(len(cats))),
            "ticktext": [esc(c) for c in cats], "range": [-0.5, max(0.5, len(cats) - 0.5)]}


if front:
    dims = [parallel_dimension(p, [t["design"].get(p) for t in front]) for p in PARAMETERS]
    dims += [{"label": esc(heading(o)), "values": [r6(shown(o, t["objectives"][i])) for t in front]} for i, o in enumerate(OBJECTIVES)]
    first = OBJECTIVES[0]
    go.Figure(data=[{"type": "parcoords", "dimensions": dims, "labelangle": -20,
                     "line": {"color": [r6(shown(first, t["objectives"][0])) for t in front], "colorscale": [[k / 9, c] for k, c in enumerate(["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"])], "showscale": True,
                              "colorbar": {"title": {"text": esc(heading(first))}, "thickness": 12}}}],
              layout={**LAYOUT, "height": 440, "margin": {"l": 70, "r": 90, "t": 80, "b": 30}}).show()
`,
  sensitivity: String.raw`# Sensitivity: for each objective, a box per value of each parameter over the sampled feasible
# trials (REPORT["sample"] names them): quartiles, median, whiskers at the 5th and 95th percentile.


def groups_of(seen, domain):
    if all(isinstance(v, (int, float)) for v in seen):
        ordered = sorted(seen)
    elif domain:
        rank = {json.dumps(v): i for i, v in enumerate(domain)}
        ordered = sorted(seen, key=lambda v: (rank.get(json.dumps(v), 1e9), str(v)))
    else:
        ordered = sorted(seen, key=str)
    if len(ordered) <= 12 or not all(isinstance(v, (int, float)) for v in ordered):
        return [(format_number(v), [v]) for v in ordered]
    bins = []
    for b in range(8):
        members = ordered[math.floor(b * len(ordered) / 8): math.floor((b + 1) * len(ordered) / 8)]
        if members:
            lo, hi = members[0], members[-1]
            bins.append((format_number(lo) if lo == hi else f"{format_number(lo)}\u2013{format_number(hi)}", members))
    return bins


cells = []
for p in PARAMETERS:
    seen = list(dict.fromkeys(t["design"][p] for t in SAMPLE if p in t["design"]))
    if len(seen) < 2:
        continue
    groups = groups_of(seen, REPORT["domains"].get(p))
    where = {json.dumps(v): gi for gi, (_, members) in enumerate(groups) for v in members}
    buckets = [[] for _ in groups]
    for t in SAMPLE:
        gi = where.get(json.dumps(t["design"].get(p)))
        if gi is not None:
            buckets[gi].append(t)
    cells.append((p, [g[0] for g in groups], buckets))

for oi, o in enumerate(OBJECTIVES):
    if not cells:
        break
    stat = lambda f, b: r6(shown(o, f([t["objectives"][oi] for t in b]))) if b else None
    all_values = [v for _, _, buckets in cells for b in buckets for v in (stat(lambda xs: quantile(xs, 0.05), b), stat(lambda xs: quantile(xs, 0.95), b)) if v is not None]
    lo, hi = min(all_values), max(all_values)
    log = lo > 0 and hi / lo > 10
    y_type = {"type": "log"} if log else ({"rangemode": "tozero"} if lo >= 0 else {})
    cols = min(4, len(cells))
    rows = math.ceil(len(cells) / cols)
    layout = {**LAYOUT, "height": 80 + rows * 230, "showlegend": False, "margin": {"l": 70, "r": 20, "t": 50, "b": 40},
              "grid": {"rows": rows, "columns": cols, "pattern": "independent", "roworder": "top to bottom", "xgap": 0.1, "ygap": 0.45},
              "title": {"text": esc(heading(o)) + (" (log scale)" if log else " (axis from zero)" if lo >= 0 else ""), "font": {"size": 13}, "x": 0.01}}
    data = []
    for pi, (p, labels, buckets) in enumerate(cells):
        suffix = "" if pi == 0 else str(pi + 1)
        data.append({"type": "box", "name": esc(p), "x": [esc(l) for l in labels],
                     "q1": [stat(lambda xs: quantile(xs, 0.25), b) for b in buckets], "median": [stat(median, b) for b in buckets],
                     "q3": [stat(lambda xs: quantile(xs, 0.75), b) for b in buckets],
                     "lowerfence": [stat(lambda xs: quantile(xs, 0.05), b) for b in buckets], "upperfence": [stat(lambda xs: quantile(xs, 0.95), b) for b in buckets],
                     "xaxis": "x" + suffix, "yaxis": "y" + suffix, "marker": {"color": PALETTE[oi % len(PALETTE)]}, "line": {"width": 1.5}, "hoverinfo": "x+y"})
        layout["xaxis" + suffix] = {"type": "category", "title": {"text": esc(p), "font": {"size": 12}, "standoff": 4}}
        layout["yaxis" + suffix] = {"exponentformat": "power", **y_type, **({} if pi == 0 else {"matches": "y"})}
    go.Figure(data=data, layout=layout).show()
`,
  importance: String.raw`# Parameter importance per objective, as ml-cart found it when the report was made
# (REPORT["drivers"]): the share of each regression tree's squared-error decrease.
DRIVERS = REPORT["drivers"]
if DRIVERS and DRIVERS["importance"]:
    totals = [sum(imp["values"][i] for imp in DRIVERS["importance"]) for i in range(len(DRIVERS["parameters"]))]
    order = sorted(range(len(DRIVERS["parameters"])), key=lambda i: totals[i])
    bars = []
    for oi, imp in enumerate(DRIVERS["importance"]):
        name = next((o["label"] for o in OBJECTIVES if o["name"] == imp["objective"]), imp["objective"])
        bars.append({"type": "bar", "orientation": "h", "name": esc(name), "y": [esc(DRIVERS["parameters"][i]) for i in order],
                     "x": [r6(imp["values"][i] * 100) for i in order], "marker": {"color": PALETTE[oi % len(PALETTE)]},
                     "hovertemplate": f"%{{y}}: %{{x:.1f}}% of the tree's error decrease<extra>{esc(name)}</extra>"})
    go.Figure(data=bars, layout={**LAYOUT, "barmode": "group", "height": 120 + len(order) * 22 * max(1, len(bars)) ** 0.5,
                                 "xaxis": {"title": {"text": "importance (% of the squared-error decrease)"}, "range": [0, 100]},
                                 "yaxis": {"type": "category"}, "legend": {"orientation": "h", "y": -0.25}}).show()
`,
  sklearn: String.raw`# The design rules refitted with scikit-learn, when it is installed: the same labels (front
# and near-front designs against the rest of the sample), the same encoding (a column per
# numeric parameter, a 0/1 column per categorical value) and depth. Its splits can differ in
# detail from ml-cart's (equally good splits are broken differently), so this cell's output is
# not part of the stored report.
try:
    from sklearn.tree import DecisionTreeClassifier, export_text
except ImportError:
    print("scikit-learn is not installed (pip install scikit-learn): the rules above are the ones ml-cart found")
else:
    if front and SAMPLE and DRIVERS:
        m = len(OBJECTIVES)
        def extent(k):
            r = max(t["objectives"][k] for t in front) - min(t["objectives"][k] for t in front)
            return r if r > 0 else (max(t["objectives"][k] for t in SAMPLE) - min(t["objectives"][k] for t in SAMPLE)) or 1
        scale = [extent(k) for k in range(m)]
        on_front = {t["hash"] for t in front}
        near = [t["hash"] in on_front or any(all(t["objectives"][k] <= f["objectives"][k] + DRIVERS["epsilon"] * scale[k] for k in range(m)) for f in front) for t in SAMPLE]
        rows = front + [t for t, n in zip(SAMPLE, near) if n and t["hash"] not in on_front] + [t for t, n in zip(SAMPLE, near) if not n]
        labels = [1] * (len(rows) - sum(1 for n in near if not n)) + [0] * sum(1 for n in near if not n)
        columns = []
        for p in PARAMETERS:
            values = [t["design"].get(p) for t in rows]
            if all(isinstance(v, (int, float)) for v in values):
                columns.append((p, None))
            else:
                columns += [(p, v) for v in sorted(set(map(str, values)))]
        X = [[(1 if str(t["design"].get(p)) == v else 0) if v is not None else t["design"].get(p) for p, v in columns] for t in rows]
        names = [p if v is None else f"{p}={v}" for p, v in columns]
        tree = DecisionTreeClassifier(max_depth=3, class_weight="balanced", random_state=0).fit(X, labels)
        print(export_text(tree, feature_names=names, class_names=["rest", "on or near the front"]))
`,
} as const;
