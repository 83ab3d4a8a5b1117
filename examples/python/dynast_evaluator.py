#!/usr/bin/env python3
"""CiM cycles and energy as two more objectives in your own NAS loop, DyNAS-T style.

DyNAS-T's evaluators take a sub-network as a dict ({'wid': None, 'ks': [...], 'e': [...], 'd': [...],
'r': [224]}) and return its measurements. CimEvaluator does the same for a CiM design: cycles and
energy of one inference, from the analytical model in process (fast enough for a search loop) or from
the SystemC model in a forked worker (the ground truth, for the final front).

The loop below is a stand-in for yours: it reads sub-networks whose ImageNet top-1 was measured
(DyNAS-T's published runs, ../shared/data/ofa-mbv3-imagenet/ beside the project), adds CiM cycles and
energy to each, and prints the Pareto front of accuracy against cycles, simulated.

    python3 examples/python/dynast_evaluator.py [MEASURED_CSV] [--count N] [--execution fused]
"""
import argparse
import ast
import csv
import os

import cimnet


class CimEvaluator:
    """Cycles and energy of OFA-MobileNetV3 sub-networks on one CiM design."""

    def __init__(self, hardware=None, execution="layer-by-layer", space="ofa-mbv3"):
        self.space = cimnet.Space(space)
        self.hardware = hardware or cimnet.Hardware()
        self.execution = execution
        self._cache = {}  # canonical spec -> figures: equal sub-networks are estimated once

    def eval_subnet(self, subnet, simulate=False):
        """{'cycles', 'energy_uj', 'macs', 'spec'} of a DyNAS-T dict (or compact spec)."""
        spec = self.space.canonical(subnet)
        key = (spec, simulate)
        if key not in self._cache:
            net = self.space.network(spec)
            if simulate:
                report = cimnet.simulate(net, self.hardware, engine="systemc", execution=self.execution)
                cycles = report["totals"]["simulated_cycles"]
            else:
                report = cimnet.estimate(net, self.hardware, execution=self.execution)
                cycles = report["totals"]["analytical_cycles"]
            self._cache[key] = {"spec": spec, "macs": net.macs, "cycles": cycles,
                                "energy_uj": report["energy"]["total_pj"] / 1e6}
        return self._cache[key]


def pareto(points, better):
    """The points no other point beats in every objective (`better(a, b)`: a at least as good as b in all)."""
    return [p for p in points if not any(better(q, p) and q is not p and q != p for q in points)]


def main():
    default_csv = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "ofa-mbv3-imagenet",
                               "mbnv3w10_linasnsga2_acc_macs.csv")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("measured", nargs="?", default=default_csv, help="CSV of measured sub-networks (DyNAS-T)")
    parser.add_argument("--count", type=int, default=40, help="sub-networks to read (default 40)")
    parser.add_argument("--execution", default="layer-by-layer", help="layer-by-layer, fused or pipelined")
    args = parser.parse_args()
    if not os.path.exists(args.measured):
        raise SystemExit(f"no measured sub-networks at {args.measured}: give a DyNAS-T CSV")

    evaluator = CimEvaluator(execution=args.execution)
    points = []
    with open(args.measured) as f:
        for row in list(csv.DictReader(f))[: args.count]:
            subnet = ast.literal_eval(row["Sub-network"])
            figures = evaluator.eval_subnet(subnet)
            points.append(dict(figures, accuracy=float(row["Top-1 Acc (%)"])))
    front = pareto(points, lambda a, b: a["accuracy"] >= b["accuracy"] and a["cycles"] <= b["cycles"])
    front.sort(key=lambda p: p["cycles"])
    print(f"{len(points)} measured sub-networks; front of accuracy against estimated cycles "
          f"({args.execution}, {evaluator.hardware.summary}), simulated:")
    print(f"{'top-1':>6} {'MACs':>12} {'estimated':>11} {'simulated':>11} {'error':>7} {'energy uJ':>10}")
    for p in front:
        sim = evaluator.eval_subnet(p["spec"], simulate=True)
        error = 100 * (p["cycles"] - sim["cycles"]) / sim["cycles"]
        print(f"{p['accuracy']:6.2f} {p['macs']:12,} {p['cycles']:11,} {sim['cycles']:11,} {error:+6.2f}% "
              f"{sim['energy_uj']:10.2f}")


if __name__ == "__main__":
    main()
