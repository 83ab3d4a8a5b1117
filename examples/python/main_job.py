#!/usr/bin/env python3
"""The main job (`cimnet run`, scripts/quickstart.sh) from Python, without a notebook.

A predictor-guided joint co-search of OFA-MobileNetV3 sub-networks and CiM hardware on the embedded
default scenario: the same run folder `cimnet run` writes, with its Pareto front printed from Python
and a progress line per real evaluation. Interrupt it with Ctrl-C and run it again with --resume.

    python3 examples/python/main_job.py [--out RUN_DIR] [--budget N] [--resume]
"""
import argparse
import time

import cimnet


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=time.strftime("runs/python-main-job-%Y%m%d-%H%M%S"))
    parser.add_argument("--budget", type=int, help="real evaluations (default: the scenario's)")
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()

    def progress(e):
        print(f"\r{e['evaluations']:4d} evaluations; last: {e['method']} {e['status']} "
              f"{e['cycles']:,.0f} cycles, top-1 {e['accuracy']:.2f}", end="", flush=True)

    # What `cimnet run` chooses: the predictor-guided method and the scenario's first seed (1).
    result = cimnet.search(args.out, progress=progress, quiet=True, method="linas", seed=1, budget=args.budget,
                           resume=args.resume)
    print()
    front = [r for r in result["front"] if r["method"] == "linas"]
    print(f"Pareto front ({len(front)} points; run folder {result['run_folder']}):")
    print(f"{'top-1':>6} {'cycles':>12}  hardware; sub-network")
    parameters = list(cimnet.hardware_space().choices)
    for r in front:
        hardware = " ".join(f"{p}={r[p]}" for p in parameters)
        print(f"{r['accuracy']:6.2f} {r['cycles']:12,.0f}  {hardware}; {r['genome']}")
    print(f"report: cimnet report {result['run_folder']}")


if __name__ == "__main__":
    main()
