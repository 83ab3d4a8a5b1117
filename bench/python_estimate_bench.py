#!/usr/bin/env python3
"""The Python module's overhead on a whole-network estimate (issue 19; docs/python.md).

Times cimnet.estimate() on a network, then runs the C++ benchmark doing the same work (estimate_bench:
map, estimate, assemble the report) and prints both medians and the overhead in percent. The target is
an overhead of at most 10 %.

    PYTHONPATH=build/python python3 bench/python_estimate_bench.py build/bench/estimate_bench [SPACE ARCH CALLS EXECUTION]
"""
import statistics
import subprocess
import sys
import time

import cimnet


def python_median(net, execution, calls):
    seconds = []
    for _ in range(calls):
        t0 = time.perf_counter()
        cimnet.estimate(net, execution=execution)
        seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds)


def cpp_median(cpp, space, arch, calls, execution):
    line = subprocess.run([cpp, space, arch, str(calls), execution], capture_output=True, text=True,
                          check=True).stdout
    return float(line.split("median ")[1].split(" ")[0])


def main():
    cpp = sys.argv[1]
    space, arch, calls, execution = (sys.argv[2:6] + ["ofa-mbv3", "max", "15", "layer-by-layer"][len(sys.argv[2:6]):])
    calls = int(calls)
    net = cimnet.network(space, arch)
    # Rounds alternate between the two, so that the machine's drift (a VM's speed varies by the minute)
    # falls on both alike; each side's figure is the median of its rounds' medians.
    rounds = 3
    py, c = [], []
    for _ in range(rounds):
        py.append(python_median(net, execution, calls))
        c.append(cpp_median(cpp, space, arch, calls, execution))
    py, c = statistics.median(py), statistics.median(c)
    print(f"{space} {arch} {execution}: {rounds} rounds of {calls} calls; C++ {c:.4f} s per call ({1 / c:.2f}/s), "
          f"Python {py:.4f} s per call ({1 / py:.2f}/s); overhead {100 * (py - c) / c:+.1f} % (target: at most +10 %)")


if __name__ == "__main__":
    main()
