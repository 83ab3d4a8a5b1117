"""The predictor and simulation figures: one function per PNG, each taking what report_inputs read and
returning the numbers it shows (for the HTML page). Style and saving come from report_figures."""

import os

from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

import report_stats as stats
from report_figures import BOUND_COLOURS, BREAKDOWN, _cycles_formatter, _save, plt


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


OCCUPANCY_LABELS = {"gb": "global buffer (L2)", "l1_total": "L1 buffers, all decoders together",
                    "l1_fullest": "fullest L1 buffer at each cycle", "ma_total": "array weights, all arrays together",
                    "ma_fullest": "fullest array's weights at each cycle"}


def format_bytes(value):
    """1536 -> '1.5 KiB', 1048576 -> '1 MiB' (binary units, as the capacities are set)."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(value) >= size:
            return f"{value / size:.4g} {unit}"
    return f"{value:.0f} B"


def draw_simulation_occupancy(report, out_dir, prefix):
    """One panel per memory level: the bytes it held over the SystemC run (a step function, from the
    report's levels.occupancy) and its capacity as a dashed line. Returns the file name (None without
    occupancy data) and per level: label, capacity, peak, peak share, and the thinning window."""
    occupancy = report.get("occupancy")
    if not occupancy or not occupancy["levels"]:
        return None, []
    levels = occupancy["levels"]
    end = max(occupancy["end_cycle"], 1)
    fig, axes = plt.subplots(len(levels), 1, figsize=(13, 1.9 * len(levels) + 0.8), sharex=True, squeeze=False)
    rows = []
    for ax, level in zip(axes[:, 0], levels):
        label = OCCUPANCY_LABELS.get(level["level"], level["level"])
        # Each point holds until the next; the last until the end of the run.
        xs = level["cycles"] + [end]
        ys = level["bytes"] + [level["bytes"][-1]]
        ax.fill_between(xs, ys, step="post", color="#4c72b0", alpha=0.25, linewidth=0)
        ax.step(xs, ys, where="post", color="#4c72b0", linewidth=1.1)
        ax.axhline(level["capacity"], color="#c44e52", linestyle="--", linewidth=1.2)
        share = 100 * level["peak_bytes"] / level["capacity"] if level["capacity"] else 0
        top = max(level["capacity"], level["peak_bytes"], 1)
        ax.set_ylim(0, 1.08 * top)
        # Ticks at quarters of the capacity: round numbers for the power-of-two sizes memories have.
        ax.set_yticks([top * k / 4 for k in range(5)])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_bytes(v) if v else "0"))
        note = f"; window maxima of {level['window_cycles']:,} cycles" if level["thinned"] else ""
        ax.set_title(f"{label}: peak {format_bytes(level['peak_bytes'])} of {format_bytes(level['capacity'])} "
                     f"({share:.1f} %){note}",
                     loc="left", fontsize=9.5)
        rows.append((label, level["capacity"], level["peak_bytes"], share, level["window_cycles"]))
    axes[-1, 0].set_xlim(0, end)
    axes[-1, 0].set_xlabel("cycle")
    _cycles_formatter(axes[-1, 0], "x")
    fig.suptitle(f"Memory occupancy over time: {report_title(report)}")
    # One legend for every panel (the same two entries), beneath the title, clear of the data.
    handles = [plt.Line2D([], [], color="#4c72b0", linewidth=1.1, label="bytes held"),
               plt.Line2D([], [], color="#c44e52", linestyle="--", linewidth=1.2, label="capacity")]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.965), ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return _save(fig, out_dir, f"{prefix}occupancy.png"), rows


def draw_simulation_schedule(report, out_dir, prefix):
    """The schedule as a Gantt chart: one row per L1 decoder (its arrays' computation) and one for the
    vector unit, each bar a span of one layer's work, coloured by layer (20 colours in turn, so that
    neighbouring layers differ) and named where it is wide enough. Returns the file name (None without
    schedule data) and per row: name, bars, busy share, the layers it ran."""
    schedule = report.get("schedule")
    if not schedule or not schedule["rows"]:
        return None, []
    rows = schedule["rows"]
    end = max(schedule["end_cycle"], 1)
    names = {layer.get("index"): layer.get("name", "") for layer in report.get("layers", [])}
    palette = plt.get_cmap("tab20")
    fig, ax = plt.subplots(figsize=(13, 0.42 * len(rows) + 1.6))
    summary = []
    for y, row in enumerate(rows):
        by_layer = {}
        for start, stop, layer in row["bars"]:
            by_layer.setdefault(layer, []).append((start, max(stop - start, 1)))
        for layer, spans in by_layer.items():
            colour = "#999999" if layer < 0 else palette(layer % 20)
            ax.broken_barh(spans, (y - 0.4, 0.8), facecolors=colour, edgecolor="none")
            for start, width in spans:
                if width >= 0.04 * end and layer >= 0:
                    ax.text(start + width / 2, y, names.get(layer, str(layer)), ha="center", va="center",
                            fontsize=6.5, clip_on=True)
        busy = sum(stop - start for start, stop, _ in row["bars"])
        summary.append((row["name"], len(row["bars"]), 100 * busy / end, len({b[2] for b in row["bars"]}),
                        row["merge_gap"]))
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([row["name"] for row in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, end)
    ax.set_xlabel("cycle")
    _cycles_formatter(ax, "x")
    execution = report.get("execution", "")
    ax.set_title(f"Schedule{' (' + execution + ')' if execution else ''}: {report_title(report)} — "
                 "bars coloured by layer", loc="left", fontsize=10)
    fig.tight_layout()
    return _save(fig, out_dir, f"{prefix}schedule.png"), summary


def draw_simulation_energy(report, out_dir, prefix):
    """The inference's energy split by level (where it is spent) and the dynamic energy of every layer in
    execution order. Returns the file name (None without energy data) and per level, the largest first:
    name, pJ, share."""
    energy = report.get("energy")
    if not energy or energy["total_pj"] <= 0:
        return None, []
    total = energy["total_pj"]
    levels = sorted(((name, pj) for name, pj in energy["levels"] if pj > 0), key=lambda level: -level[1])
    fig, (ax_levels, ax_layers) = plt.subplots(1, 2, figsize=(14, 4.2), gridspec_kw={"width_ratios": [1, 3]})
    palette = plt.get_cmap("tab10")
    ax_levels.barh([name for name, _ in levels][::-1], [pj / 1e6 for _, pj in levels][::-1],
                   color=[palette(i % 10) for i in range(len(levels))][::-1])
    ax_levels.set_xlabel("energy (µJ)")
    ax_levels.set_title("By level", loc="left", fontsize=10)
    layers = energy["layers_pj"]
    ax_layers.bar(range(len(layers)), [pj / 1e6 for pj in layers], width=0.85, color="#4c72b0", linewidth=0)
    ax_layers.set_xlim(-0.8, len(layers) - 0.2)
    ax_layers.set_xlabel("layer index (execution order)")
    ax_layers.set_ylabel("dynamic energy (µJ)")
    ax_layers.set_title("By layer (a fused post-op's is its head's)", loc="left", fontsize=10)
    inference = f"{energy['inference']} inference, " if energy.get("inference") else ""
    fig.suptitle(f"Energy of one {inference}{energy['preset']} table: {total / 1e6:.4g} µJ — {report_title(report)}")
    fig.tight_layout()
    return _save(fig, out_dir, f"{prefix}energy.png"), [(name, pj, 100 * pj / total) for name, pj in levels]


def report_title(report):
    if report.get("space"):
        what = f"{report['space']} {report.get('arch', '')}"
        if len(what) > 70:
            what = what[:67] + "…"
    else:
        what = os.path.basename(report.get("network_file", report.get("path", "")))
    return what

