#!/usr/bin/env python3
"""Per-layer allocation tables of the DIANA-like scenario (docs/diana-like.md), from cimnet's own reports.

Runs `cimnet simulate` (analytical and SystemC) on the shipped DIANA-like scenario for ResNet-18 (its
network file's precisions) and for OFA-MobileNetV3's largest sub-network deployed at 2-bit weights and
7-bit activations inside (the scenario's space: inner_precision 2/7), and prints Markdown: for every MAC layer, the core the
allocation chose, each core's cycles alone (or why it cannot run it), and the estimate against the
simulation; then the vector layers and the totals. Nothing is computed here that the report does not say.

    scripts/diana_like_tables.py [path/to/cimnet] > tables.md
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CIMNET = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "apps", "cimnet", "cimnet")
SCENARIO = os.path.join(ROOT, "scenarios", "experiments", "diana-like.yaml")

RUNS = [
    ("ResNet-18 (examples/networks/resnet18.yaml)",
     ["--network", os.path.join(ROOT, "examples", "networks", "resnet18.yaml")]),
    ("OFA-MobileNetV3, largest sub-network (the scenario's space: inner_precision 2/7)",
     ["--arch", "max"]),
]


def report(args):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.json")
        subprocess.run([CIMNET, "simulate", "--scenario", SCENARIO, "--report", path] + args,
                       check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
        with open(path) as f:
            return json.load(f)


def n(x):
    return f"{x:,}".replace(",", " ")


def pct(est, sim):
    return f"{100.0 * (est - sim) / sim:+.1f} %" if sim else "–"


def table(title, j):
    print(f"### {title}\n")
    cores = []
    for layer in j["layers"]:
        for core in layer.get("core_options", {}):
            if core not in cores:
                cores.append(core)
    print("| # | layer | MACs | weights/inputs bits | runs on | " + " | ".join(f"{c} alone" for c in cores) +
          " | estimate | simulated | error |")
    print("|---|---|---|---|---|" + "---|" * len(cores) + "---|---|---|")
    vector_est = vector_sim = vector_count = 0
    per_core = {}
    for layer in j["layers"]:
        est, sim = layer["analytical"]["cycles"], layer["simulated"]["cycles"]
        if not layer["macs"]:
            vector_est += est
            vector_sim += sim
            vector_count += 1
            continue
        core = layer["core"]
        count, e, s = per_core.get(core, (0, 0, 0))
        per_core[core] = (count + 1, e + est, s + sim)
        options = layer.get("core_options", {})
        cells = []
        for c in cores:
            cells.append(n(options[c]) if c in options else "cannot")
        bits = f"{layer['bits']['weights']}/{layer['bits']['inputs']}"
        print(f"| {layer['index']} | {layer['name']} | {n(layer['macs'])} | {bits} | **{core}** | " +
              " | ".join(cells) + f" | {n(est)} | {n(sim)} | {pct(est, sim)} |")
    print()
    refusals = sorted({layer["core_refusals"] for layer in j["layers"] if layer.get("core_refusals")})
    for r in refusals:
        print(f"- cannot: {r}")
    print()
    print("| part | layers | estimate | simulated | error |")
    print("|---|---|---|---|---|")
    for core, (count, e, s) in per_core.items():
        print(f"| MAC layers on {core} | {count} | {n(e)} | {n(s)} | {pct(e, s)} |")
    print(f"| vector layers (SIMD unit) | {vector_count} | {n(vector_est)} | {n(vector_sim)} | {pct(vector_est, vector_sim)} |")
    t = j["totals"]
    print(f"| **network** | {len(j['layers'])} | {n(t['analytical_cycles'])} | {n(t['simulated_cycles'])} | "
          f"{pct(t['analytical_cycles'], t['simulated_cycles'])} |\n")


def main():
    for title, args in RUNS:
        table(title, report(args))


if __name__ == "__main__":
    main()
