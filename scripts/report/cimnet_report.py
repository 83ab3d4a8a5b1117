#!/usr/bin/python3
"""cimnet report: figures and one static HTML page from cimnet's outputs.

    /usr/bin/python3 scripts/report/cimnet_report.py PATH [PATH ...] [--out DIR] [--title TEXT]
    /usr/bin/python3 scripts/report/cimnet_report.py PATH [PATH ...] --check

PATH is a search run folder (cimnet search --out), a simulate report (cimnet simulate --report), a
predictor scatter or curve CSV, a cimnet dataset CSV, or a folder holding any of these (sub-folders
that are search runs are taken too: give the arch-only and the joint run to compare them on one
figure). The output folder (default: PATH/report for a folder, <stem>_report beside a file) receives
the PNGs and index.html, which references only files beside it.

--check only detects the inputs and checks that matplotlib imports; it prints what it found.
Exit status: 0 success, 2 bad input or missing matplotlib (one line on stderr saying how to fix it),
1 internal error. docs/report.md describes every figure.
"""

import argparse
import datetime
import html
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import report_inputs as inputs  # noqa: E402  (after the path is set)

PROGRAM = "cimnet report"


def fail(message, status=2):
    print(f"{PROGRAM}: {message}", file=sys.stderr)
    sys.exit(status)


def import_figures():
    """The drawing module; a missing matplotlib is an input problem with the fix named."""
    try:
        import report_figures
        import report_model_figures
    except ImportError as error:
        raise inputs.InputProblem(
            f"matplotlib is not available to {sys.executable} ({error}); install Debian's package with "
            "'apt-get install python3-matplotlib' (scripts/setup.sh does), or point CIMNET_PYTHON at an "
            "interpreter that has matplotlib") from error
    return report_figures, report_model_figures


def default_out(paths):
    first = paths[0]
    if os.path.isdir(first):
        return os.path.join(first, "report")
    stem = os.path.splitext(os.path.basename(first))[0]
    return os.path.join(os.path.dirname(os.path.abspath(first)), f"{stem}_report")


# --- HTML helpers ---------------------------------------------------------------------------------

def esc(value):
    return html.escape(str(value), quote=True)


def table(headers, rows, numeric=None):
    """An HTML table; `numeric` lists the column indices to right-align."""
    numeric = set(numeric or [])
    out = ["<table><thead><tr>"]
    out += [f"<th>{esc(h)}</th>" for h in headers]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(
            f"<td class=\"num\">{esc(c)}</td>" if i in numeric else f"<td>{esc(c)}</td>" for i, c in enumerate(row))
            + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def figure(name, caption):
    return (f"<figure><a href=\"{esc(name)}\"><img src=\"{esc(name)}\" alt=\"{esc(caption)}\"></a>"
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def fmt(value, digits=3):
    if value is None:
        return "–"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf"
    return f"{value:.{digits}f}"


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3b63;color:#fff;padding:18px 32px}
header h1{margin:0 0 4px 0;font-size:24px}
header p{margin:2px 0;font-size:13px;opacity:.9}
main{max-width:1320px;margin:0 auto;padding:8px 32px 40px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;margin:18px 0;padding:8px 22px 16px}
h2{color:#1f3b63;border-bottom:2px solid #1f3b63;padding-bottom:4px}
h3{color:#333;margin-top:22px}
figure{margin:14px 0;text-align:center}
figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:13px;color:#555;margin-top:4px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.key{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0}
.key div{background:#eef2f7;border-radius:6px;padding:8px 14px;min-width:150px}
.key b{display:block;font-size:20px;color:#1f3b63}
.key span{font-size:12px;color:#555}
.note{font-size:12px;color:#666}
code{background:#f1f1f1;padding:0 3px;border-radius:3px;font-size:12px}
nav a{color:#fff;margin-right:14px;font-size:13px}
details{margin:6px 0 12px}
summary{cursor:pointer;color:#1f3b63;font-size:13px}
td:last-child{word-break:break-all}
"""


def key_numbers(items):
    return "<div class=\"key\">" + "".join(
        f"<div><b>{esc(value)}</b><span>{esc(label)}</span></div>" for label, value in items) + "</div>"


# --- Sections -------------------------------------------------------------------------------------

def search_section(figures, model_figures, runs, out_dir):
    parts = ["<section id=\"search\"><h2>Search</h2>"]
    run_rows = []
    for run in runs:
        methods = {}
        for p in run["evaluations"]:
            methods[p["method"]] = methods.get(p["method"], 0) + 1
        ref = run["reference"]
        run_rows.append([run["label"], run["mode"] or "–", run["scenario"] or "–", len(run["evaluations"]),
                         ", ".join(f"{m} {n}" for m, n in methods.items()),
                         f"{figures.format_cycles(ref['cycles'])} cycles, {ref['accuracy']:.2f} %" if ref else "none"])
    parts.append(table(["run", "mode", "scenario", "real evaluations", "per method", "reference design"], run_rows,
                       numeric=[3]))

    pareto, speedups = figures.draw_pareto(runs, out_dir)
    valid = [s for s in speedups if s["speedup"]]
    if valid:
        best = max(valid, key=lambda s: s["speedup"])
        parts.append(key_numbers([
            ("iso-accuracy speedup over the reference (" + best["series"] + ")", f"{best['speedup']:.2f}×"),
            ("cycles of that design", figures.format_cycles(best["best"][0])),
            ("its accuracy (%)", f"{best['best'][1]:.2f}"),
            ("reference cycles", figures.format_cycles(best["reference"]["cycles"])),
        ]))
    parts.append(figure(pareto, "Accuracy against cycles: every real evaluation (faint), each method's Pareto "
                                "front (steps), the reference design (star) and the iso-accuracy speedup."))
    if speedups:
        parts.append("<h3>Iso-accuracy speedup</h3>")
        parts.append(table(
            ["front", "reference cycles", "reference accuracy (%)", "fewest cycles at ≥ reference accuracy",
             "its accuracy (%)", "speedup"],
            [[s["series"], figures.format_cycles(s["reference"]["cycles"]), f"{s['reference']['accuracy']:.2f}",
              figures.format_cycles(s["best"][0]) if s["best"] else "not reached",
              f"{s['best'][1]:.2f}" if s["best"] else "–",
              f"{s['speedup']:.2f}×" if s["speedup"] else "–"] for s in speedups], numeric=[1, 2, 3, 4, 5]))

    for index, run in enumerate(runs):
        import report_objective_figures as objective_figures  # matplotlib is there: figures imported it
        name, front = objective_figures.draw_energy_fronts(run, out_dir, f"search_energy_front_{index + 1}.png")
        if name:
            parts.append(f"<h3>{len(run['objectives'])}-objective front: {esc(run['label'])}</h3>")
            parts.append(figure(name, f"The front in {', '.join(run['objectives'])} ({len(front)} designs) "
                                      "in two projections; every real evaluation faint, the reference design a "
                                      "star. The table of the front below lists each design's energy."))
    hv_name, finals, note = figures.draw_hypervolume(runs, out_dir)
    parts.append(figure(hv_name, "Hypervolume of the real evaluations against their number, per method"
                        + (f" ({note})." if note else ".")))
    if finals:
        parts.append(table(["method", "real evaluations", "final hypervolume"],
                           [[f["series"], f"{f['evaluations']:g}", f"{f['hypervolume']:.6g}"] for f in finals],
                           numeric=[1, 2]))

    quality = figures.draw_search_predictor_quality(runs, out_dir)
    if quality:
        parts.append(figure(quality, "Predictor quality on each new batch of real evaluations (Kendall τ and "
                                     "MAPE), per iteration."))
        rows = []
        for run in runs:
            for h in run["history"]:
                if any(h[k] is not None for k in ("tau_cycles", "mape_cycles", "tau_accuracy", "mape_accuracy")):
                    rows.append([run["label"], h["method"], fmt(h["iteration"], 0), fmt(h["evaluations"], 0),
                                 fmt(h["tau_cycles"]), fmt(h["mape_cycles"], 2), fmt(h["tau_accuracy"]),
                                 fmt(h["mape_accuracy"], 2)])
        parts.append(table(["run", "method", "iteration", "real evaluations", "τ cycles", "MAPE cycles (%)",
                            "τ accuracy", "MAPE accuracy (%)"], rows, numeric=[2, 3, 4, 5, 6, 7]))

    panels = []
    for run in runs:
        for key, target in (("predicted_cycles", "cycles"), ("predicted_accuracy", "accuracy")):
            pairs = [(p[target], p[key]) for p in run["evaluations"] if p[key] is not None]
            if len(pairs) >= 2:
                panels.append((f"{run['label']}: {target}", target, [a for a, _ in pairs], [b for _, b in pairs]))
    if panels:
        name, metrics = model_figures.draw_predicted_vs_actual(panels, out_dir, "search_predicted_vs_actual.png",
                                                         "Predictions made before each real evaluation")
        parts.append(figure(name, "Predicted against actual for every real evaluation the predictors chose "
                                  "(the prediction made before the SystemC run)."))

    for index, run in enumerate(runs):
        suffix = "" if len(runs) == 1 else f"_{index + 1}"
        varied = [q for q in run["hw_params"] if len({p["hw"].get(q) for p in run["evaluations"]} - {None}) > 1]
        if not varied:
            parts.append(f"<p class=\"note\">{esc(run['label'])}: the hardware never varied (an architecture-only "
                         "search on the reference design), so there is no table of hardware choices.</p>")
            continue
        heat, result = figures.draw_configuration_heatmap(run, out_dir, f"config_heatmap{suffix}.png")
        if not result:
            continue
        method, size, chosen = result
        parts.append(f"<h3>Hardware choices on the front: {esc(run['label'])} ({esc(method)}, {size} configurations)</h3>")
        width = max((len(v) for v in chosen.values()), default=0)
        rows = []
        for param, counts in chosen.items():
            cells = [f"{figures.format_choice(param, c)}: {n}" for c, n in counts]
            rows.append([f"{param} [{inputs.hw_unit(param)}]"] + cells + [""] * (width - len(cells)))
        parts.append(table(["parameter"] + [f"choice {i + 1}" for i in range(width)], rows))
        with open(os.path.join(out_dir, f"config_table{suffix}.csv"), "w", encoding="utf-8") as handle:
            handle.write("parameter,choice,configurations\n")
            for param, counts in chosen.items():
                for c, n in counts:
                    handle.write(f"{param},{c:g},{n}\n")
        if heat:
            parts.append(figure(heat, "The same table as a heat map: share of the front's configurations that "
                                      "took each choice of each hardware parameter."))

    for run in runs:
        series = figures.fronts_by_series([run])
        main = inputs.main_series_first(series)
        if not main:
            continue
        _, method, _, front = main[0]
        parts.append(f"<h3>Pareto front: {esc(run['label'])} ({esc(method)}, {len(front)} points)</h3>")
        parts.append(f"<details{' open' if len(front) <= 12 else ''}><summary>the {len(front)} designs of the "
                     "front, by cycles</summary>")
        have_area = any(p["area"] is not None for p in front)
        have_energy = any(p.get("energy_pj") for p in front)
        # A searched execution policy is a design choice like the hardware: each design names its own.
        have_execution = any(p.get("execution") for p in front)
        text_columns = ["execution", "sub-network"] if have_execution else ["sub-network"]
        headers = ["#", "cycles", "accuracy (%)"] + (["area (relative model)"] if have_area else []) + (
            ["energy (µJ)"] if have_energy else []) + [
            p for p in run["hw_params"] if any(q["hw"].get(p) is not None for q in front)] + text_columns
        rows = []
        for i, p in enumerate(front):
            row = [i + 1, f"{p['cycles']:,.0f}", f"{p['accuracy']:.3f}"]
            if have_area:
                row.append(fmt(p["area"], 3))
            if have_energy:
                row.append(f"{(p.get('energy_pj') or 0) * 1e-6:.4g}")
            row += [figures.format_choice(q, p["hw"][q]) for q in run["hw_params"] if p["hw"].get(q) is not None]
            if have_execution:
                row.append(p.get("execution") or "")
            row.append(p["genome"])
            rows.append(row)
        parts.append(table(headers, rows, numeric=list(range(0, len(headers) - len(text_columns)))))
        parts.append("</details>")
    parts.append("</section>")
    return "".join(parts)


def predictor_section(figures, scatters, curves, datasets, out_dir):
    parts = ["<section id=\"predictors\"><h2>Predictors</h2>"]
    if scatters:
        panels = [(os.path.basename(s["path"]), s["target"], s["actual"], s["predicted"]) for s in scatters
                  if len(s["actual"]) >= 2]
        name, metrics = figures.draw_predicted_vs_actual(panels, out_dir, "predicted_vs_actual.png",
                                                         "Predicted against actual (held-out data)")
        if name:
            parts.append(key_numbers([(f"{m['target']}: Kendall τ / MAPE", f"{m['tau']:.3f} / {m['mape']:.2f} %")
                                      for m in metrics]))
            parts.append(figure(name, "Each point is one held-out (sub-network, hardware) pair; the red line is a "
                                      "perfect predictor. τ and MAPE are computed over all points shown."))
            parts.append(table(["file", "target", "points", "Kendall τ", "MAPE (%)"],
                               [[m["label"], m["target"], m["n"], fmt(m["tau"]), fmt(m["mape"], 3)] for m in metrics],
                               numeric=[2, 3, 4]))
    if curves:
        name, rows = figures.draw_learning_curves(curves, out_dir)
        parts.append(figure(name, "Held-out MAPE and Kendall τ against the number of training points (mean and "
                                  "standard deviation over the repeats of cimnet predictor curve)."))
        parts.append(table(["target", "training points", "τ (mean)", "MAPE % (mean)"],
                           [[r["target"], fmt(r["train_size"], 0), fmt(r["tau"]), fmt(r["mape"], 3)] for r in rows],
                           numeric=[1, 2, 3]))
    if datasets:
        panels = []
        for d in datasets:
            pairs = [(inputs.number(r.get("cycles")), inputs.number(r.get("analytical_cycles"))) for r in d["rows"]]
            pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
            if len(pairs) >= 2:
                panels.append((os.path.basename(d["path"]), "cycles", [a for a, _ in pairs], [b for _, b in pairs]))
        if panels:
            name, metrics = figures.draw_predicted_vs_actual(panels, out_dir, "analytical_vs_systemc.png",
                                                             "Analytical estimate against SystemC (dataset)")
            parts.append(figure(name, "The mapper's analytical cycle estimate against the SystemC ground truth "
                                      "for every ok row of the dataset."))
            parts.append(table(["dataset", "points", "Kendall τ", "MAPE (%)"],
                               [[m["label"], m["n"], fmt(m["tau"]), fmt(m["mape"], 3)] for m in metrics],
                               numeric=[1, 2, 3]))
    parts.append("</section>")
    return "".join(parts)


def simulate_section(figures, report, prefix):
    title = figures.report_title(report)
    totals = report.get("totals", {})
    parts = [f"<section id=\"{esc(prefix.rstrip('_'))}\"><h2>Simulation: {esc(title)}</h2>"]
    parts.append(f"<p class=\"note\">{esc(os.path.basename(report['path']))}; hardware: "
                 f"{esc(report.get('hardware', '–'))}</p>")
    layers = report["layers"]
    items = [("layers", str(len(layers))), ("MACs", f"{totals.get('macs', 0):,}")]
    if totals.get("simulated_cycles") is not None:
        items.append(("simulated cycles (SystemC)", f"{totals['simulated_cycles']:,}"))
    if totals.get("analytical_cycles") is not None:
        items.append(("analytical cycles", f"{totals['analytical_cycles']:,}"))
    if totals.get("simulated_cycles") and totals.get("analytical_cycles"):
        error = 100 * (totals["analytical_cycles"] - totals["simulated_cycles"]) / totals["simulated_cycles"]
        items.append(("analytical error", f"{error:+.1f} %"))
    if totals.get("seconds") is not None:
        items.append(("inference time", f"{totals['seconds'] * 1e3:.3f} ms"))
    parts.append(key_numbers(items))
    out_dir = report["out_dir"]
    parts.append(figure(figures.draw_simulation_layers(report, out_dir, prefix),
                        "Cycles of each layer, stacked by the analytical breakdown (ideal compute, stall, weight "
                        "load, write-back; they sum to the analytical cycles), the SystemC cycles as black ticks, "
                        "and the bound of each layer in the strip beneath."))
    levels_name, level_rows = figures.draw_simulation_levels(report, out_dir, prefix)
    if levels_name:
        parts.append(figure(levels_name, "Utilisation of each level of the hierarchy over the SystemC run and "
                                         "the bytes each level moved."))
        if level_rows:
            parts.append(table(["level", "instances", "mean utilisation (%)", "min (%)", "max (%)"],
                               [[r[1], r[5], f"{100 * r[2]:.1f}", f"{100 * r[3]:.1f}", f"{100 * r[4]:.1f}"]
                                for r in level_rows], numeric=[1, 2, 3, 4]))
    occupancy_name, occupancy_rows = figures.draw_simulation_occupancy(report, out_dir, prefix)
    if occupancy_name:
        parts.append(figure(occupancy_name, "Bytes each memory level held over the SystemC run (an allocation "
                                            "counts from its op's start until its Free ends), with its capacity "
                                            "dashed; a level with more than 2,000 changes shows the maximum of "
                                            "each window."))
        parts.append(table(["memory level", "capacity (bytes)", "peak (bytes)", "peak (% of capacity)",
                            "window (cycles)"],
                           [[r[0], f"{r[1]:,}", f"{r[2]:,}", f"{r[3]:.1f}", f"{r[4]:,}" if r[4] else "exact"]
                            for r in occupancy_rows], numeric=[1, 2, 3, 4]))
    schedule_name, schedule_rows = figures.draw_simulation_schedule(report, out_dir, prefix)
    if schedule_name:
        parts.append(figure(schedule_name, "The schedule: what each L1 decoder's arrays and the vector unit "
                                           "computed over the SystemC run, coloured by layer; under pipelined, "
                                           "the layers of a stack run side by side on their own decoders."))
        parts.append(table(["row", "bars", "busy (% of the run)", "layers", "bars merged within (cycles)"],
                           [[r[0], f"{r[1]:,}", f"{r[2]:.1f}", f"{r[3]:,}", f"{r[4]:,}" if r[4] else "touching only"]
                            for r in schedule_rows], numeric=[1, 2, 3]))
    energy_name, energy_rows = figures.draw_simulation_energy(report, out_dir, prefix)
    if energy_name:
        energy = report["energy"]
        parts.append(figure(energy_name, "Energy of the inference by level (DRAM, the L2 and L1 links and buffers, "
                                         "the arrays, MACs, reductions, the vector unit, static power) and the "
                                         "dynamic energy of each layer (docs/energy.md)."))
        parts.append(table(["level", "energy (pJ)", "share (%)"],
                           [[name, f"{pj:,.0f}", f"{share:.1f}"] for name, pj, share in energy_rows], numeric=[1, 2]))
        figures_line = [f"{energy['pj_per_mac']:.3g} pJ/MAC" if energy.get("pj_per_mac") is not None else None,
                        f"{energy['tops_per_watt']:.3g} TOPS/W" if energy.get("tops_per_watt") is not None else None,
                        f"EDP {energy['edp']:.3g} J·s" if energy.get("edp") is not None else None]
        parts.append(f"<p class=\"note\">{esc('; '.join(f for f in figures_line if f))}</p>")
    bounds_name, counts = figures.draw_simulation_bounds(report, out_dir, prefix)
    parts.append(figure(bounds_name, "MAC utilisation of every layer (MACs / (peak × cycles)) coloured by the "
                                     "resource that bounded it, and the number of layers per bound."))
    # The most expensive layers: where the cycles go.
    key = "simulated" if any(layer.get("simulated") for layer in layers) else "analytical"
    ranked = sorted(layers, key=lambda layer: -((layer.get(key) or {}).get("cycles", 0) or 0))[:10]
    total = sum((layer.get(key) or {}).get("cycles", 0) or 0 for layer in layers) or 1
    rows = []
    for layer in ranked:
        cycles = (layer.get(key) or {}).get("cycles", 0) or 0
        a = layer.get("analytical") or {}
        rows.append([layer.get("index"), layer.get("name"), layer.get("kind"), layer.get("shape", ""),
                     f"{cycles:,}", f"{100 * cycles / total:.1f}", (layer.get("mapping") or {}).get("summary", "vector unit"),
                     f"{a.get('ideal', 0):,}", f"{a.get('stall', 0):,}", f"{a.get('load', 0):,}",
                     f"{a.get('write_back', 0):,}", f"{100 * float(layer.get('utilisation', 0) or 0):.1f}",
                     layer.get("bound", "")])
    parts.append(f"<h3>The ten most expensive layers ({key} cycles)</h3>")
    parts.append(table(["#", "layer", "type", "shape", "cycles", "share (%)", "mapping", "ideal", "stall", "load",
                        "write-back", "util (%)", "bound"], rows, numeric=[0, 4, 5, 7, 8, 9, 10, 11]))
    parts.append("</section>")
    return "".join(parts)


# --- Main -----------------------------------------------------------------------------------------

def build_report(paths, out_dir, title):
    found = inputs.detect(paths)
    figures, model_figures = import_figures()
    os.makedirs(out_dir, exist_ok=True)
    sections = []
    nav = []
    written_from = []
    if found["search"]:
        runs = [inputs.read_search_run(d) for d in found["search"]]
        usable = [r for r in runs if r["evaluations"]]
        if not usable:
            raise inputs.InputProblem(
                f"the search run folder(s) {', '.join(found['search'])} hold no ok evaluation with cycles and accuracy")
        sections.append(search_section(figures, model_figures, usable, out_dir))
        nav.append(("search", "Search"))
        written_from += [r["path"] for r in usable]
    for index, path in enumerate(found["simulate"]):
        report = inputs.read_simulate_report(path)
        report["out_dir"] = out_dir
        prefix = "sim_" if len(found["simulate"]) == 1 else f"sim{index + 1}_"
        sections.append(simulate_section(model_figures, report, prefix))
        nav.append((prefix.rstrip("_"), "Simulation" if len(found["simulate"]) == 1 else f"Simulation {index + 1}"))
        written_from.append(path)
    if found["scatter"] or found["curve"] or found["dataset"]:
        scatters = [inputs.read_scatter(p) for p in found["scatter"]]
        curves = [inputs.read_curve(p) for p in found["curve"]]
        datasets = [inputs.read_dataset(p) for p in found["dataset"]]
        sections.append(predictor_section(model_figures, scatters, curves, datasets, out_dir))
        nav.append(("predictors", "Predictors"))
        written_from += found["scatter"] + found["curve"] + found["dataset"]

    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    page = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
            f"<header><h1>{esc(title)}</h1>",
            f"<p>from {esc(', '.join(written_from))}</p><p>written {esc(stamp)} by cimnet report</p>",
            "<nav>" + "".join(f"<a href=\"#{esc(anchor)}\">{esc(label)}</a>" for anchor, label in nav) + "</nav>",
            "</header><main>"]
    page += sections
    page.append("<p class=\"note\">Every number on this page comes from the files named above; figures are PNGs "
                "beside this page (click one to open it at full size). See docs/report.md.</p>")
    page.append("</main></body></html>\n")
    index = os.path.join(out_dir, "index.html")
    with open(index, "w", encoding="utf-8") as handle:
        handle.write("".join(page))
    return index


def main(argv):
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", metavar="PATH", help="search run folder, simulate report, predictor CSVs")
    parser.add_argument("--out", help="output folder (default: PATH/report, or <stem>_report beside a file)")
    parser.add_argument("--title", default="cimnet report", help="title of the page")
    parser.add_argument("--check", action="store_true", help="only detect the inputs and check matplotlib")
    args = parser.parse_args(argv)
    try:
        if args.check:
            found = inputs.detect(args.paths)
            import_figures()
            print(", ".join(f"{kind}: {len(items)}" for kind, items in found.items() if items))
            return 0
        out_dir = args.out or default_out(args.paths)
        index = build_report(args.paths, out_dir, args.title)
    except inputs.InputProblem as problem:
        fail(str(problem))
    except UnicodeDecodeError as error:
        # Every reader goes through inputs.read_text, which names the file; this is the last guard.
        fail(f"an input is not UTF-8 text ({error})")
    except OSError as error:
        fail(f"{error.filename or ''}: {error.strerror}" if error.filename else str(error))
    print(index)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
