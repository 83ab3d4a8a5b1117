"""The search's front in three objectives (issue 16): a run that searched accuracy, cycles and energy
(or the energy-delay product) gets one figure of two projections of its front, since a 3-D scatter
hides more than it shows. Left: accuracy against energy, every real evaluation faint, the run's front
coloured by its cycles, and the accuracy-energy front of the projection as a step line; right: energy
against cycles, the front coloured by accuracy. The front is the one the search wrote (front.csv, in
all its objectives) for the guided method, else computed here from the evaluations."""

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, LogLocator

import report_figures as figures
import report_inputs as inputs
import report_stats as stats


def searched_energy(run):
    """True when the run's objectives are made of energy and its evaluations measured it."""
    wanted = {"energy", "edp"} & set(run.get("objectives") or [])
    return bool(wanted) and any(p.get("energy_pj") for p in run["evaluations"])


def _non_dominated(points, objectives):
    """The points no other point beats in every objective (accuracy maximised, the rest minimised)."""
    def key(p):
        values = {"accuracy": -p["accuracy"], "cycles": p["cycles"], "energy": p.get("energy_pj") or 0,
                  "edp": p["cycles"] * (p.get("energy_pj") or 0), "area": p.get("area") or 0}
        return [values[o] for o in objectives if o in values]
    keys = [key(p) for p in points]
    front = []
    for i, a in enumerate(keys):
        if not any(all(x <= y for x, y in zip(b, a)) and b != a for b in keys):
            front.append(points[i])
    return front


def energy_front(run):
    """(method, every point of it, its front in the run's objectives) of the run's guided method."""
    main = inputs.main_series_first(figures.fronts_by_series([run]))
    if not main:
        return None
    _run, method, points, front = main[0]
    points = [p for p in points if p.get("energy_pj")]
    front = [p for p in front if p.get("energy_pj")] or _non_dominated(points, run["objectives"])
    return method, points, front


def draw_energy_fronts(run, out_dir, name):
    """The figure's file name and the front it shows (sorted by energy), or (None, None)."""
    if not searched_energy(run):
        return None, None
    found = energy_front(run)
    if not found or not found[2]:
        return None, None
    method, points, front = found
    front = sorted(front, key=lambda p: p["energy_pj"])
    uj = 1e-6
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.4), constrained_layout=True)
    for ax in (left, right):
        ax.scatter([p["energy_pj"] * uj if ax is left else p["cycles"] for p in points],
                   [p["accuracy"] if ax is left else p["energy_pj"] * uj for p in points],
                   s=10, color="#7f7f7f", alpha=0.25, label=f"{method}: {len(points)} real evaluations")
    by_cycles = left.scatter([p["energy_pj"] * uj for p in front], [p["accuracy"] for p in front],
                             c=[p["cycles"] for p in front], cmap="viridis", s=42, edgecolors="black",
                             linewidths=0.5, zorder=3, label=f"front in {', '.join(run['objectives'])}: {len(front)}")
    bar = fig.colorbar(by_cycles, ax=left, label="cycles per inference")
    figures._cycles_formatter(bar.ax, "y")
    # The projection's own front (most accuracy for the energy), what an energy budget chooses from.
    projection = [points[i] for i in stats.pareto_front([(p["energy_pj"], p["accuracy"]) for p in points])]
    left.step([p["energy_pj"] * uj for p in projection], [p["accuracy"] for p in projection], where="post",
              color="#1f5fbf", linewidth=1.4, label="accuracy-energy front")
    by_accuracy = right.scatter([p["cycles"] for p in front], [p["energy_pj"] * uj for p in front],
                                c=[p["accuracy"] for p in front], cmap="plasma", s=42, edgecolors="black",
                                linewidths=0.5, zorder=3, label="the same front")
    fig.colorbar(by_accuracy, ax=right, label="top-1 accuracy (%)")
    reference = run["reference"]
    if reference and reference.get("energy_pj"):
        star = {"marker": "*", "s": 240, "color": "#d62728", "edgecolors": "black", "linewidths": 0.7, "zorder": 5}
        left.scatter([reference["energy_pj"] * uj], [reference["accuracy"]], label="reference design", **star)
        right.scatter([reference["cycles"]], [reference["energy_pj"] * uj], label="reference design", **star)
    left.set_xlabel("energy per inference (µJ)")
    left.set_ylabel("top-1 accuracy (%)")
    left.set_title("accuracy against energy")
    cycles = [p["cycles"] for p in points if p["cycles"] > 0]
    log_x = bool(cycles) and max(cycles) / min(cycles) > 8  # as the accuracy-cycles figure
    if log_x:
        right.set_xscale("log")
        right.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        right.xaxis.set_minor_formatter(FuncFormatter(lambda _v, _p: ""))
    right.set_xlabel("cycles per inference (SystemC" + (", log scale)" if log_x else ")"))
    right.set_ylabel("energy per inference (µJ)")
    right.set_title("energy against cycles")
    figures._cycles_formatter(right)
    for ax in (left, right):
        ax.legend(loc="best", framealpha=0.92, fontsize=8)
    fig.suptitle(f"{run['label']}: the {len(run['objectives'])}-objective front ({method})")
    return figures._save(fig, out_dir, name), front
