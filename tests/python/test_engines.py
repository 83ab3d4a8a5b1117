"""estimate() and simulate() against `cimnet simulate --report`: the same report for the same inputs."""
import json
import os
import unittest

from cli_support import cimnet, cli_error, run_cli, temp_dir

SMALL = ("ofa-mbv3", "min")  # the smallest MobileNetV3: a SystemC run of a second or two


def cli_report(test, *args):
    path = os.path.join(temp_dir(test), "report.json")
    run_cli("simulate", "--report", path, *args)
    with open(path) as f:
        return json.load(f)


def without_wall_clock(report):
    """The report without the run's wall-clock seconds (the only field two runs may differ in)."""
    def strip(v):
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if "wall" not in k}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v
    return strip(report)


class Estimate(unittest.TestCase):
    def test_equals_the_command_lines_analytical_report(self):
        for execution in ["layer-by-layer", "fused", "pipelined"]:
            with self.subTest(execution=execution):
                net = cimnet.network(*SMALL)
                ours = cimnet.estimate(net, execution=execution)
                theirs = cli_report(self, "--space", SMALL[0], "--arch", SMALL[1], "--engine", "analytical",
                                    "--execution", execution)
                self.assertEqual(ours, theirs)

    def test_on_a_keyword_design(self):
        net = cimnet.network("ofa-resnet50", "min")
        hw = cimnet.Hardware(DRAM_bw=128, MA_comp_per_core=32)
        ours = cimnet.estimate(net, hw, cycles="cold")
        theirs = cli_report(self, "--space", "ofa-resnet50", "--arch", "min", "--engine", "analytical",
                            "--hw", "DRAM_bw=128", "--hw", "MA_comp_per_core=32", "--cycles", "cold")
        self.assertEqual(ours, theirs)
        self.assertGreater(ours["totals"]["analytical_cycles"], 0)

    def test_faster_dram_never_slows_a_layer_by_layer_estimate(self):
        net = cimnet.network(*SMALL)
        slow = cimnet.estimate(net, cimnet.Hardware(DRAM_bw=32))["totals"]["analytical_cycles"]
        fast = cimnet.estimate(net, cimnet.Hardware(DRAM_bw=128))["totals"]["analytical_cycles"]
        self.assertLessEqual(fast, slow)

    def test_bad_policies_raise_the_command_lines_messages(self):
        net = cimnet.network(*SMALL)
        cases = [({"execution": "searched"}, ["--execution", "searched"]),
                 ({"execution": "sideways"}, ["--execution", "sideways"]),
                 ({"latency_bound": "1.2x"}, ["--latency-bound", "1.2x", "--execution", "fused"]),
                 ({"allocation": "energy"}, ["--allocation", "energy"])]
        for kwargs, args in cases:
            with self.subTest(kwargs=kwargs):
                if "latency_bound" in kwargs:
                    kwargs = dict(kwargs, execution="fused")
                with self.assertRaises(cimnet.InputError) as caught:
                    cimnet.estimate(net, **kwargs)
                self.assertEqual(str(caught.exception),
                                 cli_error("simulate", "--space", SMALL[0], "--arch", SMALL[1], "--engine",
                                           "analytical", *args))


class Simulate(unittest.TestCase):
    def test_equals_the_command_lines_report(self):
        net = cimnet.network(*SMALL)
        ours = cimnet.simulate(net)
        theirs = cli_report(self, "--space", SMALL[0], "--arch", SMALL[1])
        self.assertEqual(without_wall_clock(ours), without_wall_clock(theirs))
        self.assertGreater(ours["totals"]["simulated_cycles"], 0)
        self.assertIn("levels", ours)

    def test_a_trace_on_request(self):
        net = cimnet.network(*SMALL)
        ours = cimnet.simulate(net, engine="systemc", trace=True)
        events = ours["trace"]["traceEvents"] if isinstance(ours["trace"], dict) else ours["trace"]
        self.assertTrue(any(e.get("ph") == "X" for e in events))
        path = os.path.join(temp_dir(self), "t.json")
        cimnet.simulate(net, engine="systemc", trace=path)
        with open(path) as f:
            self.assertTrue(json.load(f))

    def test_a_crash_in_the_worker_raises_and_python_lives_on(self):
        net = cimnet.network(*SMALL)
        with self.assertRaises(cimnet.SimulationError) as caught:
            cimnet.simulate(net, _test_hook="crash")
        self.assertIn("signal", str(caught.exception))
        with self.assertRaises(cimnet.SimulationError):
            cimnet.simulate(net, _test_hook="hang", timeout=1)
        self.assertGreater(cimnet.estimate(net)["totals"]["analytical_cycles"], 0)  # still here

    def test_ctrl_c_kills_the_worker_at_once_and_raises_keyboard_interrupt(self):
        import signal
        import threading
        import time
        net = cimnet.network(*SMALL)
        timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
        start = time.perf_counter()
        timer.start()
        with self.assertRaises(KeyboardInterrupt):
            cimnet.simulate(net, _test_hook="hang", timeout=120)  # a worker that would run two minutes
        self.assertLess(time.perf_counter() - start, 10)
        timer.join()
        # Python's own handler is back, and the next simulation runs.
        self.assertIs(signal.getsignal(signal.SIGINT), signal.default_int_handler)
        self.assertGreater(cimnet.simulate(net, engine="systemc")["totals"]["simulated_cycles"], 0)

    def test_the_gil_is_released_while_the_worker_simulates(self):
        import threading
        import time
        net = cimnet.network(*SMALL)
        result = {}
        worker = threading.Thread(target=lambda: result.update(cimnet.simulate(net, engine="systemc")))
        start = time.perf_counter()
        worker.start()
        ticks = 0
        while worker.is_alive():
            ticks += 1  # this thread runs only while the simulation has let go of the GIL
            time.sleep(0.001)
        elapsed = time.perf_counter() - start
        self.assertGreater(result["totals"]["simulated_cycles"], 0)
        self.assertGreater(ticks, 0.2 * elapsed / 0.001, f"{ticks} ticks in {elapsed:.2f} s")

    def test_the_analytical_engine_is_estimate_not_simulate(self):
        with self.assertRaises(cimnet.InputError):
            cimnet.simulate(cimnet.network(*SMALL), engine="analytical")


if __name__ == "__main__":
    unittest.main()
