"""The figures: one function per PNG, each taking what report_inputs read and returning the numbers it
shows (for the HTML page). matplotlib with the Agg backend; no other dependency."""

import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, ScalarFormatter  # noqa: E402

import report_inputs as inputs  # noqa: E402
import report_stats as stats  # noqa: E402

DPI = 110
plt.rcParams.update({
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 8.5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
})

BREAKDOWN = [("ideal", "ideal compute", "#4c72b0"), ("stall", "stall", "#dd8452"),
             ("load", "weight load", "#55a868"), ("write_back", "write-back", "#c44e52")]
# Bounds (mapping/cost_model.cpp): hues apart from the breakdown's, so the strip is not read as one.
BOUND_COLOURS = {"compute": "#1f78b4", "dram": "#6a3d9a", "capacity": "#e7a3c9", "latency": "#a0a0a0",
                 "l2": "#ff7f00", "l1": "#33a02c", "reduce": "#b15928", "vector": "#a6cee3", "port": "#e6d85c",
                 "ma": "#e6d85c", "core": "#17becf"}


def _save(fig, out_dir, name):
    path = os.path.join(out_dir, name)
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return name


def _cycles_formatter(ax, axis="x"):
    """Tick labels in thousands or millions of cycles (the unit goes into the axis label)."""
    def fmt(value, _pos):
        if value == 0:
            return "0"
        if abs(value) >= 1e6:
            return f"{value / 1e6:g}M"
        if abs(value) >= 1e3:
            return f"{value / 1e3:g}k"
        return f"{value:g}"
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(fmt))


def format_cycles(value):
    if value is None:
        return "–"
    if value >= 1e6:
        return f"{value / 1e6:.3f} M"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k"
    return f"{value:.0f}"


# --- Search ---------------------------------------------------------------------------------------

METHOD_STYLE = [
    # (pattern in the method name, colours for the first, second, ... run, marker)
    ("random", ["#7f7f7f", "#3d3d3d", "#b0b0b0"], "x"),
    ("nsga", ["#dd8452", "#a0522d", "#f0b27a"], "s"),
    ("baseline", ["#937860", "#5e4b3c", "#c4ab96"], "d"),
    ("dynast", ["#8c564b", "#c49c94", "#5a3530"], "v"),
]
MODE_COLOURS = {"joint": "#1f5fbf", "arch": "#2ca02c", "hw": "#9467bd"}


def series_style(run_index, run, method):
    """(colour, marker, linestyle) of one method of one run: baselines by their name (a darker shade and
    dashes for a second run), the guided search by its mode (joint blue, arch-only green)."""
    lower = method.lower()
    linestyle = "-" if run_index == 0 else "--"
    for pattern, colours, marker in METHOD_STYLE:
        if pattern in lower:
            return colours[run_index % len(colours)], marker, linestyle
    colour = MODE_COLOURS.get(run["mode"], plt.get_cmap("tab10")(run_index % 10))
    return colour, "o", "-"


def series_label(run, method, several_runs):
    mode = {"arch": "arch-only", "joint": "joint", "hw": "hw-only"}.get(run["mode"], run["mode"])
    parts = []
    if several_runs or mode:
        parts.append(mode or run["label"])
    parts.append(method)
    return ": ".join(parts) if len(parts) > 1 else parts[0]


def fronts_by_series(runs):
    """[(run, method, all points, front points)] over the runs; the front of a method is the run's front
    file's rows of that method when the file has them, else computed from its evaluations."""
    series = []
    for run in runs:
        methods = []
        for p in run["evaluations"]:
            if p["method"] not in methods:
                methods.append(p["method"])
        for method in methods:
            points = [p for p in run["evaluations"] if p["method"] == method]
            front = None
            if run["front"]:
                front = [p for p in run["front"] if p["method"] == method] or None
            if front is None:
                coords = [(p["cycles"], p["accuracy"]) for p in points]
                front = [points[i] for i in stats.pareto_front(coords)]
            front = sorted(front, key=lambda p: p["cycles"])
            series.append((run, method, points, front))
    return series


def draw_pareto(runs, out_dir):
    """Accuracy against cycles: every real evaluation (faint) and each method's front (step line), the
    reference design and the iso-accuracy speedup of each front."""
    several = len(runs) > 1
    fig, ax = plt.subplots(figsize=(9, 5.8))
    series = fronts_by_series(runs)
    speedups = []
    reference = next((r["reference"] for r in runs if r["reference"]), None)
    all_cycles = [p["cycles"] for _r, _m, points, _f in series for p in points if p["cycles"] > 0]
    # Cycles spread over about an order of magnitude: a log axis keeps the fronts apart.
    log_x = bool(all_cycles) and max(all_cycles) / min(all_cycles) > 8
    for run, method, points, front in series:
        ref = run["reference"] or reference
        entry = None
        if ref:
            best, speedup = stats.iso_accuracy_speedup([(p["cycles"], p["accuracy"]) for p in front],
                                                       (ref["cycles"], ref["accuracy"]))
            entry = {"series": series_label(run, method, several), "best": best, "speedup": speedup, "reference": ref}
            speedups.append(entry)
        colour, marker, linestyle = series_style(runs.index(run), run, method)
        label = f"{series_label(run, method, several)}: front {len(front)} of {len(points)}"
        if entry:
            label += f", {entry['speedup']:.2f}× at iso-accuracy" if entry["speedup"] else ", reference not reached"
        ax.scatter([p["cycles"] for p in points], [p["accuracy"] for p in points], s=10, color=colour,
                   alpha=0.18, marker=marker, linewidths=0.8)
        xs = [p["cycles"] for p in front]
        ys = [p["accuracy"] for p in front]
        ax.step(xs, ys, where="post", color=colour, linestyle=linestyle, linewidth=1.8)
        ax.scatter(xs, ys, s=30, color=colour, marker=marker, edgecolors="white" if marker != "x" else None,
                   linewidths=0.6 if marker != "x" else 1.4, zorder=3, label=label)
    if reference:
        ax.scatter([reference["cycles"]], [reference["accuracy"]], marker="*", s=260, color="#d62728",
                   edgecolors="black", linewidths=0.7, zorder=5,
                   label=f"reference design ({format_cycles(reference['cycles'])} cycles, {reference['accuracy']:.2f} %)")
        ax.axhline(reference["accuracy"], color="#d62728", linewidth=0.8, linestyle=":", alpha=0.8)
        # The best speedup (what the figure is about) gets an arrow from the reference to the design.
        valid = [s for s in speedups if s["speedup"] and s["speedup"] > 1.0]
        if valid:
            top = max(valid, key=lambda s: s["speedup"])
            ax.annotate("", xy=(top["best"][0], reference["accuracy"]),
                        xytext=(reference["cycles"], reference["accuracy"]),
                        arrowprops={"arrowstyle": "->", "color": "#d62728", "linewidth": 1.6}, zorder=6)
            middle = (math.sqrt(top["best"][0] * reference["cycles"]) if log_x
                      else (top["best"][0] + reference["cycles"]) / 2)
            ax.annotate(f"{top['speedup']:.2f}× fewer cycles at iso-accuracy\n({top['series']})",
                        xy=(middle, reference["accuracy"]), xytext=(0, -14), textcoords="offset points",
                        ha="center", va="top", fontsize=9, color="#a01010",
                        bbox={"boxstyle": "round", "fc": "white", "ec": "#d62728", "alpha": 0.9}, zorder=6)
    if log_x:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.set_xlabel("cycles per inference (SystemC, log scale)")
    else:
        ax.set_xlabel("cycles per inference (SystemC)")
    ax.set_ylabel("top-1 accuracy (%)")
    _cycles_formatter(ax)
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    ax.set_title("Pareto fronts: accuracy against cycles (real evaluations)")
    ax.legend(loc="lower right", framealpha=0.92)
    return _save(fig, out_dir, "pareto.png"), speedups


def common_reference(runs):
    """One hypervolume reference point for runs without a history file, so that their curves compare:
    the worst cycles and accuracy of all their evaluations, padded by 1 %."""
    points = [p for run in runs for p in run["evaluations"]]
    if not points:
        return None
    worst_accuracy = min(p["accuracy"] for p in points)
    return max(p["cycles"] for p in points) * 1.01, worst_accuracy - 0.01 * abs(worst_accuracy)


def hypervolume_history(run, reference):
    """[(method, [(evaluations, hypervolume)])] from the run's history file, else recomputed from the
    evaluations in file order against `reference` (common_reference)."""
    rows = [h for h in run["history"] if h["hypervolume"] is not None and h["evaluations"] is not None]
    result = []
    if rows:
        for method in dict.fromkeys(h["method"] for h in rows):
            result.append((method, sorted((h["evaluations"], h["hypervolume"]) for h in rows if h["method"] == method)))
        return result, "from the run's history file"
    if not run["evaluations"] or reference is None:
        return [], ""
    for method in dict.fromkeys(p["method"] for p in run["evaluations"]):
        mine = sorted((p for p in run["evaluations"] if p["method"] == method), key=lambda p: p["order"])
        curve = []
        for k in range(1, len(mine) + 1):
            curve.append((k, stats.hypervolume_2d([(p["cycles"], p["accuracy"]) for p in mine[:k]], reference)))
        result.append((method, curve))
    note = (f"recomputed from the evaluations in file order; reference point {format_cycles(reference[0])} cycles, "
            f"{reference[1]:.2f} % (worst seen, padded 1 %)")
    return result, note


def draw_hypervolume(runs, out_dir):
    several = len(runs) > 1
    fig, ax = plt.subplots(figsize=(8, 4.8))
    finals = []
    notes = set()
    reference = common_reference([r for r in runs if not any(h["hypervolume"] is not None for h in r["history"])])
    for run_index, run in enumerate(runs):
        curves, note = hypervolume_history(run, reference)
        notes.add(note)
        for method, curve in curves:
            if not curve:
                continue
            colour, marker, linestyle = series_style(run_index, run, method)
            label = series_label(run, method, several)
            ax.plot([c[0] for c in curve], [c[1] for c in curve], color=colour, linestyle=linestyle, linewidth=1.8,
                    marker=marker if len(curve) <= 40 else None, markersize=4, label=label)
            finals.append({"series": label, "evaluations": curve[-1][0], "hypervolume": curve[-1][1]})
    ax.set_xlabel("real evaluations (SystemC runs)")
    if any("history" in n for n in notes):
        # cimnet search's own frame (docs/search.md): normalised accuracy × cycles / reference cycles.
        ax.set_ylabel("hypervolume (normalised, as the search reports it)")
    else:
        ax.set_ylabel("hypervolume (cycles × accuracy points)")
    formatter = ScalarFormatter(useMathText=True)
    formatter.set_powerlimits((-3, 4))
    ax.yaxis.set_major_formatter(formatter)
    ax.set_title("Hypervolume against real evaluations")
    ax.legend(loc="lower right", framealpha=0.9)
    return _save(fig, out_dir, "hypervolume.png"), finals, "; ".join(sorted(n for n in notes if n))


def draw_search_predictor_quality(runs, out_dir):
    """τ and MAPE of the predictors on each new batch, per iteration (history file)."""
    rows = [(run, h) for run in runs for h in run["history"]
            if any(h[k] is not None for k in ("tau_cycles", "mape_cycles", "tau_accuracy", "mape_accuracy"))]
    if not rows:
        return None
    fig, (ax_tau, ax_mape) = plt.subplots(1, 2, figsize=(11, 4))
    several = len(runs) > 1
    for run in runs:
        for method in dict.fromkeys(h["method"] for r, h in rows if r is run):
            mine = [h for r, h in rows if r is run and h["method"] == method]
            x = [h["iteration"] if h["iteration"] is not None else i for i, h in enumerate(mine)]
            label = series_label(run, method, several)
            for key, axis, style in (("tau_cycles", ax_tau, "-o"), ("tau_accuracy", ax_tau, "--s"),
                                     ("mape_cycles", ax_mape, "-o"), ("mape_accuracy", ax_mape, "--s")):
                values = [h[key] for h in mine]
                if any(v is not None for v in values):
                    what = "cycles" if "cycles" in key else "accuracy"
                    axis.plot(x, [v if v is not None else math.nan for v in values], style, markersize=4,
                              label=f"{label}: {what}")
    ax_tau.set_xlabel("iteration")
    ax_tau.set_ylabel("Kendall τ on the new batch")
    ax_tau.set_title("Predictor rank quality per iteration")
    ax_tau.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_tau.legend(framealpha=0.9)
    errors = [h[k] for _r, h in rows for k in ("mape_cycles", "mape_accuracy") if h[k] and h[k] > 0]
    log_mape = bool(errors) and max(errors) / min(errors) > 20
    if log_mape:
        ax_mape.set_yscale("log")
        ax_mape.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
    ax_mape.set_xlabel("iteration")
    ax_mape.set_ylabel("MAPE on the new batch (%)" + (", log scale" if log_mape else ""))
    ax_mape.set_title("Predictor error per iteration")
    ax_mape.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_mape.legend(framealpha=0.9)
    fig.tight_layout()
    return _save(fig, out_dir, "search_predictors.png")


def configuration_table(run):
    """CiMNet's analysis table: for each hardware parameter, how many configurations of the guided
    search's front took each choice. Returns (method, front size, {param: [(choice, count)]})."""
    series = [s for s in fronts_by_series([run]) if not inputs.is_baseline(s[1])] or fronts_by_series([run])
    if not series:
        return None
    _, method, _, front = series[0]
    table = {}
    for param in inputs.HW_PARAMS:
        values = [p["hw"].get(param) for p in front if p["hw"].get(param) is not None]
        choices = list(run["choices"].get(param, []))
        for v in values:
            if v not in choices:
                choices.append(v)
        if not choices:
            continue
        table[param] = [(c, sum(1 for v in values if v == c)) for c in sorted(choices)]
    return method, len(front), table


def format_choice(param, value):
    if param == "MA_mem_size" and value >= 1024:
        return f"{value / 1024:g} KiB"
    return f"{value:g}"


def draw_configuration_heatmap(run, out_dir, name="config_heatmap.png"):
    result = configuration_table(run)
    if not result or not result[2]:
        return None, result
    method, size, table = result
    params = list(table)
    width = max(len(v) for v in table.values())
    grid = [[math.nan] * width for _ in params]
    for row, param in enumerate(params):
        for col, (_choice, count) in enumerate(table[param]):
            grid[row][col] = 100.0 * count / size if size else 0.0
    fig, ax = plt.subplots(figsize=(1.6 * width + 3, 0.5 * len(params) + 1.6))
    image = ax.imshow(grid, cmap="Blues", vmin=0, vmax=100, aspect="auto")
    for row, param in enumerate(params):
        for col, (choice, count) in enumerate(table[param]):
            share = grid[row][col]
            ax.text(col, row, f"{format_choice(param, choice)}\n{count} ({share:.0f}%)", ha="center", va="center",
                    fontsize=8, color="white" if share > 55 else "black")
    ax.set_yticks(range(len(params)))
    ax.set_yticklabels([f"{p} [{inputs.HW_UNITS[p]}]" for p in params])
    ax.set_xticks(range(width))
    ax.set_xticklabels([f"choice {i + 1}" + (" (smallest)" if i == 0 else " (largest)" if i == width - 1 else "")
                        for i in range(width)])
    ax.grid(False)
    ax.set_title(f"Hardware choices on the front ({method}, {size} configurations)")
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("share of front configurations (%)")
    return _save(fig, out_dir, name), result


# --- Predictors -----------------------------------------------------------------------------------

def scatter_metrics(actual, predicted):
    return stats.kendall_tau(actual, predicted), stats.mape(actual, predicted)


def _unit_of(target):
    return {"accuracy": "top-1 accuracy (%)", "cycles": "cycles per inference"}.get(target, target)


def draw_predicted_vs_actual(panels, out_dir, name, title):
    """One panel per (label, target, actual, predicted): the points, the ideal y = x line, τ and MAPE
    in the legend. Returns the file name and the metrics per panel."""
    if not panels:
        return None, []
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.9), squeeze=False)
    metrics = []
    for ax, (label, target, actual, predicted) in zip(axes[0], panels):
        tau, error = scatter_metrics(actual, predicted)
        metrics.append({"label": label, "target": target, "n": len(actual), "tau": tau, "mape": error})
        ax.scatter(actual, predicted, s=9, alpha=0.45, color="#1f5fbf", edgecolors="none",
                   label=f"{len(actual)} points: τ = {tau:.3f}, MAPE = {error:.2f} %")
        low = min(min(actual), min(predicted))
        high = max(max(actual), max(predicted))
        pad = 0.03 * (high - low or 1)
        ax.plot([low - pad, high + pad], [low - pad, high + pad], color="#d62728", linewidth=1.2,
                label="ideal (predicted = actual)")
        ax.set_xlim(low - pad, high + pad)
        ax.set_ylim(low - pad, high + pad)
        ax.set_aspect("equal", adjustable="box")
        unit = _unit_of(target)
        ax.set_xlabel(f"actual {unit}")
        ax.set_ylabel(f"predicted {unit}")
        if target == "cycles":
            _cycles_formatter(ax, "x")
            _cycles_formatter(ax, "y")
        ax.set_title(label)
        ax.legend(loc="upper left", framealpha=0.9)
    fig.suptitle(title)
    fig.tight_layout()
    return _save(fig, out_dir, name), metrics


def _curve_label(curve):
    """The file's stem names a curve ("curve-vit-b16-analytical.csv" -> "vit-b16-analytical"); the
    target is added only when the stem does not already say it."""
    stem = os.path.splitext(os.path.basename(curve["path"]))[0]
    for prefix in ("curve-", "curve_"):
        if stem.startswith(prefix):
            stem = stem[len(prefix):]
    known = curve["target"] in ("accuracy", "cycles")
    return f"{curve['target']}: {stem}" if known and curve["target"] not in stem else stem


def draw_learning_curves(curves, out_dir):
    """MAPE and τ on the held-out set against training size, mean ± sd over repeats."""
    if not curves:
        return None, []
    fig, (ax_mape, ax_tau) = plt.subplots(1, 2, figsize=(11, 4.6))
    rows = []
    for index, curve in enumerate(curves):
        c = curve["columns"]
        colour = plt.get_cmap("tab10")(index % 10)
        label = _curve_label(curve)
        sizes = c.get("train_size", [])
        for ax, key in ((ax_mape, "mape"), (ax_tau, "tau")):
            mean = c.get(f"{key}_mean", [])
            sd = c.get(f"{key}_sd") or [0] * len(mean)
            ax.errorbar(sizes, mean, yerr=[s or 0 for s in sd], color=colour, marker="o", markersize=4, capsize=3,
                        linewidth=1.6, label=label)
        for i, size in enumerate(sizes):
            rows.append({"target": curve["target"], "train_size": size, "tau": c["tau_mean"][i],
                         "mape": c["mape_mean"][i]})
    sizes = sorted({r["train_size"] for r in rows if r["train_size"]})
    for ax in (ax_mape, ax_tau):
        ax.set_xscale("log")
        ax.set_xlabel("training points (log scale)")
        ax.set_xticks(sizes)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
    errors = [r["mape"] for r in rows if r["mape"] and r["mape"] > 0]
    log_mape = bool(errors) and max(errors) / min(errors) > 20
    if log_mape:
        # Targets of very different error (accuracy ~0.1 %, cycles ~10 %) stay readable on one axis.
        ax_mape.set_yscale("log")
        ax_mape.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
    ax_mape.set_ylabel("held-out MAPE (%)" + (", log scale" if log_mape else ""))
    ax_mape.set_title("Prediction error")
    ax_tau.set_ylabel("held-out Kendall τ")
    ax_tau.set_title("Rank agreement")
    # One legend for both panels, below them: with many curves a legend inside a panel hides the data.
    handles, labels = ax_tau.get_legend_handles_labels()
    columns = 1 if len(labels) <= 2 else (2 if len(labels) <= 6 else 3)
    fig.legend(handles, labels, loc="lower center", ncol=columns, frameon=False, fontsize=9)
    rows_of_legend = -(-len(labels) // columns)
    fig.tight_layout(rect=(0, 0.07 * rows_of_legend, 1, 1))
    return _save(fig, out_dir, "learning_curves.png"), rows


# --- One simulation -------------------------------------------------------------------------------

def _layer_breakdown(layer):
    analytical = layer.get("analytical") or {}
    return {key: float(analytical.get(key, 0) or 0) for key, _label, _colour in BREAKDOWN}


def draw_simulation_layers(report, out_dir, prefix):
    """Per-layer cycles stacked by the analytical breakdown, the simulated cycles as markers, and the
    bound of each layer as a coloured strip beneath."""
    layers = report["layers"]
    x = list(range(len(layers)))
    fig = plt.figure(figsize=(14, 6.2))
    grid = fig.add_gridspec(2, 1, height_ratios=[14, 1], hspace=0.05)
    ax = fig.add_subplot(grid[0])
    strip = fig.add_subplot(grid[1], sharex=ax)
    bottom = [0.0] * len(layers)
    have_analytical = any(layer.get("analytical") for layer in layers)
    if have_analytical:
        for key, label, colour in BREAKDOWN:
            values = [_layer_breakdown(layer)[key] for layer in layers]
            ax.bar(x, values, bottom=bottom, width=0.85, color=colour, label=f"{label} (analytical)", linewidth=0)
            bottom = [b + v for b, v in zip(bottom, values)]
    simulated = [(i, (layer.get("simulated") or {}).get("cycles")) for i, layer in enumerate(layers)]
    simulated = [(i, c) for i, c in simulated if c is not None]
    if simulated:
        ax.scatter([i for i, _ in simulated], [c for _, c in simulated], marker="_", s=40, color="black",
                   linewidths=1.4, zorder=4, label="simulated (SystemC)")
    ax.set_ylabel("cycles per layer")
    _cycles_formatter(ax, "y")
    ax.set_title(f"Per-layer cycles: {report_title(report)}", pad=28)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=5, frameon=False)
    plt.setp(ax.get_xticklabels(), visible=False)
    ax.set_xlim(-0.8, len(layers) - 0.2)
    bounds = [layer.get("bound", "") for layer in layers]
    kinds = list(dict.fromkeys(bounds))
    strip.bar(x, [1] * len(layers), width=1.0, color=[BOUND_COLOURS.get(b, "#bbbbbb") for b in bounds], linewidth=0)
    strip.set_yticks([])
    strip.set_ylabel("bound", rotation=0, ha="right", va="center")
    strip.grid(False)
    strip.set_xlabel("layer index (execution order)")
    strip.legend(handles=[Patch(color=BOUND_COLOURS.get(b, "#bbbbbb"), label=b or "?") for b in kinds],
                 loc="upper center", bbox_to_anchor=(0.5, -1.6), ncol=len(kinds), frameon=False,
                 title="bound of each layer (resource that limited it)")
    return _save(fig, out_dir, f"{prefix}layers.png")


def level_of(module_name):
    """'l1[3].reduce' → 'l1.reduce', 'core[7]' → 'core', 'ma[0].port' → 'ma.port'."""
    parts = []
    for piece in module_name.split("."):
        parts.append(piece.split("[")[0])
    return ".".join(parts)


LEVEL_LABELS = {"dram": "DRAM link", "l2": "L2 decoder link", "l2.vector": "vector unit (L2)",
                "l2.reduce": "reduction (L2)", "l1": "L1 decoder links", "l1.reduce": "reduction (L1)",
                "ma.port": "memory-array ports", "core": "compute cores"}


def level_utilisation(report):
    """[(level, label, mean, min, max, count)] of the SystemC modules' utilisation, in hierarchy order."""
    modules = ((report.get("levels") or {}).get("modules")) or []
    grouped = {}
    for m in modules:
        grouped.setdefault(level_of(m.get("name", "")), []).append(float(m.get("utilisation", 0) or 0))
    rows = []
    for level, values in grouped.items():
        rows.append((level, LEVEL_LABELS.get(level, level), sum(values) / len(values), min(values), max(values),
                     len(values)))
    return rows


def draw_simulation_levels(report, out_dir, prefix):
    """Utilisation per level of the hierarchy (mean over its instances, with min–max) and the bytes each
    level moved towards the arrays and back."""
    rows = level_utilisation(report)
    byte_counts = ((report.get("levels") or {}).get("bytes")) or {}
    if not rows and not byte_counts:
        return None, rows
    fig, (ax_util, ax_bytes) = plt.subplots(1, 2, figsize=(13, 4.6), gridspec_kw={"width_ratios": [3, 2]})
    if rows:
        labels = [f"{r[1]}\n(×{r[5]})" if r[5] > 1 else r[1] for r in rows]
        means = [100 * r[2] for r in rows]
        lower = [max(0.0, 100 * (r[2] - r[3])) for r in rows]
        upper = [max(0.0, 100 * (r[4] - r[2])) for r in rows]
        bars = ax_util.bar(range(len(rows)), means, color="#4c72b0", yerr=[lower, upper], capsize=4,
                           error_kw={"elinewidth": 1, "ecolor": "#333333"})
        for bar, value in zip(bars, means):
            ax_util.text(bar.get_x() + bar.get_width() / 2, value + 1.5, f"{value:.1f}%", ha="center", fontsize=8)
        ax_util.set_xticks(range(len(rows)))
        ax_util.set_xticklabels(labels, rotation=30, ha="right", fontsize=8.5)
        ax_util.set_ylim(0, 105)
        ax_util.set_ylabel("busy time / run time (%)")
        ax_util.set_title("Utilisation per level (SystemC; bars: mean, whiskers: min–max of instances)")
    else:
        ax_util.set_axis_off()
    if byte_counts:
        seen = list(dict.fromkeys(k.split(".")[0] for k in byte_counts))
        hierarchy = ["dram", "l2", "l1", "ma", "reduce"]
        levels = [lv for lv in hierarchy if lv in seen] + [lv for lv in seen if lv not in hierarchy]
        down = [byte_counts.get(f"{lv}.down", 0) / 1e6 for lv in levels]
        up = [byte_counts.get(f"{lv}.up", 0) / 1e6 for lv in levels]
        pos = range(len(levels))
        ax_bytes.bar([p - 0.2 for p in pos], down, width=0.4, color="#55a868", label="towards the arrays (down)")
        ax_bytes.bar([p + 0.2 for p in pos], up, width=0.4, color="#c44e52", label="towards DRAM (up)")
        ax_bytes.set_xticks(list(pos))
        ax_bytes.set_xticklabels(levels)
        ax_bytes.set_ylabel("bytes moved (MB)")
        ax_bytes.set_xlabel("level")
        ax_bytes.set_title("Traffic per level")
        ax_bytes.legend(framealpha=0.9)
    else:
        ax_bytes.set_axis_off()
    fig.tight_layout()
    return _save(fig, out_dir, f"{prefix}levels.png"), rows


def draw_simulation_bounds(report, out_dir, prefix):
    """MAC utilisation of each layer, coloured by its bound, and how many layers each bound limited."""
    layers = report["layers"]
    bounds = [layer.get("bound", "") for layer in layers]
    fig, (ax, ax_count) = plt.subplots(1, 2, figsize=(14, 4.2), gridspec_kw={"width_ratios": [4, 1]})
    ax.bar(range(len(layers)), [100 * float(layer.get("utilisation", 0) or 0) for layer in layers], width=0.85,
           color=[BOUND_COLOURS.get(b, "#bbbbbb") for b in bounds], linewidth=0)
    ax.set_xlabel("layer index (execution order)")
    ax.set_ylabel("MAC utilisation (% of peak)")
    ax.set_xlim(-0.8, len(layers) - 0.2)
    # Layers without MACs (activations, pooling, element-wise) have no bar: a tick beneath the axis
    # still shows their bound.
    ax.scatter(range(len(layers)), [-2.5] * len(layers), marker="|", s=30,
               color=[BOUND_COLOURS.get(b, "#bbbbbb") for b in bounds], clip_on=False)
    ax.set_ylim(-5, None)
    ax.set_title("Utilisation of each layer, coloured by the resource that bounded it", pad=26)
    kinds = list(dict.fromkeys(bounds))
    ax.legend(handles=[Patch(color=BOUND_COLOURS.get(b, "#bbbbbb"), label=b or "?") for b in kinds],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(len(kinds), 8), frameon=False)
    counts = [(b, bounds.count(b)) for b in sorted(kinds, key=lambda b: -bounds.count(b))]
    ax_count.barh([b for b, _ in counts][::-1], [n for _, n in counts][::-1],
                  color=[BOUND_COLOURS.get(b, "#bbbbbb") for b, _ in counts][::-1])
    ax_count.set_xlabel("layers")
    ax_count.set_title("Layers per bound")
    fig.tight_layout()
    return _save(fig, out_dir, f"{prefix}bounds.png"), counts


def report_title(report):
    if report.get("space"):
        what = f"{report['space']} {report.get('arch', '')}"
        if len(what) > 70:
            what = what[:67] + "…"
    else:
        what = os.path.basename(report.get("network_file", report.get("path", "")))
    return what

