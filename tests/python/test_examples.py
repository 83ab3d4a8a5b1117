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

    def test_the_onnx_example_has_the_counts_of_its_closed_form(self):
        path = os.path.join(temp_dir(self), "ds-cnn.onnx")
        try:
            subprocess.run(["/usr/bin/python3", source("examples", "onnx", "make_ds_cnn.py"), path], check=True,
                           capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as e:
            self.skipTest(f"Debian's python3-onnx cannot write the example: {e}")
        # Stem 3x3 conv 3->32 at 32x32, then (depthwise 3x3, pointwise 1x1) blocks to 64 s2, 64, 128 s2,
        # 128; global average pooling; a 128->10 Gemm with bias. Batch norm: 2 parameters per channel.
        macs, params, c, side = 32 * 32 * 32 * 3 * 9, 3 * 32 * 9 + 2 * 32, 32, 32
        for c_out, stride in [(64, 2), (64, 1), (128, 2), (128, 1)]:
            side //= stride
            macs += side * side * c * 9 + side * side * c_out * c
            params += c * 9 + 2 * c + c * c_out + 2 * c_out
            c = c_out
        macs += 128 * 10
        params += 128 * 10 + 10
        one = cimnet.load_onnx(path)
        self.assertEqual((one.macs, one.params), (macs, params))
        self.assertEqual((macs, params), (4_363_520, 36_874))  # as examples/onnx/README.md says
        four = cimnet.load_onnx(path, batch=4)
        self.assertEqual(four.macs, 4 * macs)
        report = cimnet.simulate(four, execution="fused", engine="systemc")
        self.assertGreater(report["totals"]["simulated_steady_cycles"], 0)

    def test_the_llm_decode_sweep_grows_with_the_position(self):
        out = run_example("llm_decode.py", "--positions", "0,512")
        rows = [l.split() for l in out.splitlines() if l.split() and l.split()[0].isdigit()]
        self.assertEqual([r[0] for r in rows], ["0", "512"])
        cycles = [int(r[2].replace(",", "")) for r in rows]
        dram = [int(r[3].replace(",", "")) for r in rows]
        self.assertGreater(cycles[1], cycles[0])
        # At least the 512 more tokens' keys and values of 12 layers, 768 wide, at 8 bits.
        self.assertGreaterEqual(dram[1] - dram[0], 2 * 12 * 768 * 512)


if __name__ == "__main__":
    unittest.main()
