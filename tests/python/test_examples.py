"""The Python examples run as documented (examples/python/, docs/python.md), on small sizes."""
import os
import subprocess
import sys
import unittest

from cli_support import cimnet, source, temp_dir

SHARED = os.path.join(source(), "..", "shared", "data", "ofa-mbv3-imagenet", "mbnv3w10_linasnsga2_acc_macs.csv")


def run_example(name, *args):
    env = dict(os.environ, PYTHONPATH=os.path.dirname(cimnet.__file__))
    return subprocess.run([sys.executable, source("examples", "python", name), *args], env=env,
                          capture_output=True, text=True, check=True).stdout


class Examples(unittest.TestCase):
    def test_the_dynast_style_evaluator_simulates_its_front(self):
        if not os.path.exists(SHARED):
            self.skipTest(f"the measured sub-networks are absent ({SHARED})")
        out = run_example("dynast_evaluator.py", SHARED, "--count", "6")
        rows = [l for l in out.splitlines() if len(l.split()) == 6 and l.split()[4].endswith("%")]
        self.assertGreaterEqual(len(rows), 1, out)
        for row in rows:
            error = float(row.split()[4].rstrip("%"))
            self.assertLess(abs(error), 5.0, row)  # the analytical estimate against its own simulation

    def test_the_main_job_script_writes_a_run_folder_and_prints_its_front(self):
        out_dir = os.path.join(temp_dir(self), "run")
        out = run_example("main_job.py", "--out", out_dir, "--budget", "4")
        self.assertIn("Pareto front", out)
        self.assertTrue(os.path.exists(os.path.join(out_dir, "front.csv")))


if __name__ == "__main__":
    unittest.main()
