"""The search figures and what every figure shares (style, saving, cycle axes): one function per PNG,
each taking what report_inputs read and returning the numbers it shows (for the HTML page). The
predictor and simulation figures are in report_model_figures. matplotlib with the Agg backend; no
other dependency."""

import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
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


VARIANT_COLOURS = ["#17becf", "#bcbd22", "#e377c2"]  # the guided search's variants, in order of appearance


def series_style(run_index, run, method):
    """(colour, marker, linestyle) of one method of one run: baselines by their name (a darker shade and
    dashes for a second run), the guided search by its mode (joint blue, arch-only green). A variant
    (a method with settings of its own, 'linas:rerank=0') is dotted, with the next shade of its
    baseline's colours or, for the guided search, a colour of its own."""
    lower = method.lower()
    variant = inputs.is_variant(method)
    linestyle = (":" if variant else "-") if run_index == 0 else ("-." if variant else "--")
    for pattern, colours, marker in METHOD_STYLE:
        if pattern in lower:
            return colours[(run_index + (1 if variant else 0)) % len(colours)], marker, linestyle
    if variant:
        variants = [m for m in dict.fromkeys(p["method"] for p in run["evaluations"]) if inputs.is_variant(m)]
        index = variants.index(method) if method in variants else 0
        return VARIANT_COLOURS[(index + run_index) % len(VARIANT_COLOURS)], "^", linestyle
    colour = MODE_COLOURS.get(run["mode"], plt.get_cmap("tab10")(run_index % 10))
    return colour, "o", "-"


def series_label(run, method, several_runs):
    mode = {"arch": "arch-only", "joint": "joint", "hw": "hw-only"}.get(run["mode"], run["mode"])
    parts = []
    if several_runs or mode:
        parts.append(mode or run["label"])
    parts.append(method)
    return ": ".join(parts) if len(parts) > 1 else parts[0]


def fronts_by_series(runs, accuracy_cycles=False):
    """[(run, method, all points, front points)] over the runs; the front of a method is the run's front
    file's rows of that method when the file has them, else computed from its evaluations. With
    accuracy_cycles, the front of that projection whatever the run's objectives (a front in three
    objectives drawn as an accuracy-cycles step line would zig-zag)."""
    series = []
    for run in runs:
        methods = []
        for p in run["evaluations"]:
            if p["method"] not in methods:
                methods.append(p["method"])
        for method in methods:
            points = [p for p in run["evaluations"] if p["method"] == method]
            front = None
            if run["front"] and not (accuracy_cycles and run.get("objectives", ["accuracy", "cycles"]) != [
                    "accuracy", "cycles"]):
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
    series = fronts_by_series(runs, accuracy_cycles=True)
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
    series = inputs.main_series_first(fronts_by_series([run]))
    if not series:
        return None
    _, method, _, front = series[0]
    table = {}
    for param in run.get("hw_params", inputs.HW_PARAMS):
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
    ax.set_yticklabels([f"{p} [{inputs.hw_unit(p)}]" for p in params])
    ax.set_xticks(range(width))
    ax.set_xticklabels([f"choice {i + 1}" + (" (smallest)" if i == 0 else " (largest)" if i == width - 1 else "")
                        for i in range(width)])
    ax.grid(False)
    ax.set_title(f"Hardware choices on the front ({method}, {size} configurations)")
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("share of front configurations (%)")
    return _save(fig, out_dir, name), result
