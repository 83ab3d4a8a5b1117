#!/usr/bin/env python3
"""A language model's decode step against its KV cache, from Python.

Sweeps the position T of one generated token and prints the step's estimated cycles and DRAM bytes.
Each step attends over T + 1 keys, so the KV cache it reads grows by one token's keys and values
per layer, and so do the bytes. On the reference design the weights do not fit the arrays, so every
step streams them and DRAM bounds the step. --simulate checks the first and last positions with the
SystemC model.

    python3 examples/python/llm_decode.py [--model gpt2] [--positions 0,256,512,1023] [--simulate]
"""
import argparse

import cimnet


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gpt2", help=f"one of {', '.join(cimnet.llm_models())}")
    parser.add_argument("--positions", default="0,128,256,512,1023")
    parser.add_argument("--simulate", action="store_true", help="also simulate the first and last positions")
    args = parser.parse_args()
    positions = [int(p) for p in args.positions.split(",")]
    hw = cimnet.Hardware()
    print(f"{args.model}: {cimnet.llm_parameters(args.model)['total']:,} parameters on {hw.summary}")
    print(f"{'position':>8} {'MACs':>12} {'cycles':>12} {'DRAM bytes':>14} {'simulated':>12}")
    for t in positions:
        step = cimnet.llm(args.model, decode_at=t)
        totals = cimnet.estimate(step, hw)["totals"]
        simulated = ""
        if args.simulate and t in (positions[0], positions[-1]):
            simulated = f"{cimnet.simulate(step, hw, engine='systemc')['totals']['simulated_cycles']:,}"
        print(f"{t:8d} {step.macs:12,} {totals['analytical_cycles']:12,} {totals['analytical_steady_dram_bytes']:14,} "
              f"{simulated:>12}")


if __name__ == "__main__":
    main()
