"""dataset() and search() against the command line: the same rows for the same options, progress
callbacks, errors with the command line's messages, and a stopped run that resumes."""
import os
import signal
import unittest

from cli_support import cimnet, cli_error, run_cli, temp_dir

# Columns that measure the run rather than the point (wall-clock seconds, the worker's memory).
VOLATILE = ("wall", "seconds", "rss", "memory")


def stable(rows):
    return [{k: v for k, v in r.items() if not any(word in k for word in VOLATILE)} for r in rows]


def read_cli_rows(path):
    import csv
    with open(path) as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines))


def typed(text):
    """A CSV field as the module types it: None, int, float or str."""
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


class Dataset(unittest.TestCase):
    ARGS = dict(samples=3, mode="arch", jobs=2, seed=4)

    def test_rows_equal_the_command_lines(self):
        d = temp_dir(self)
        seen = []
        rows = cimnet.dataset(os.path.join(d, "py.csv"), progress=lambda done, total: seen.append((done, total)),
                              **self.ARGS)
        run_cli("dataset", "--out", os.path.join(d, "cli.csv"), "--samples", "3", "--mode", "arch", "--jobs", "2",
                "--seed", "4", "--no-progress")
        theirs = read_cli_rows(os.path.join(d, "cli.csv"))
        self.assertEqual(len(rows), 3)
        self.assertEqual(sorted(seen), [(1, 3), (2, 3), (3, 3)])
        self.assertEqual(len(theirs), 3)
        for mine, text in zip(stable(rows), stable(theirs)):
            self.assertEqual(list(mine), list(text))
            for key, value in mine.items():
                self.assertEqual(value, typed(text[key]), key)
        self.assertTrue(all(r["status"] == "ok" and r["cycles"] > 0 for r in rows))

    def test_as_numpy(self):
        try:
            import numpy  # noqa: F401
        except ImportError:
            self.skipTest("NumPy is not installed (Debian: python3-numpy)")
        a = cimnet.dataset(os.path.join(temp_dir(self), "d.csv"), as_numpy=True, samples=2, mode="arch", jobs=2)
        self.assertEqual(len(a), 2)
        self.assertEqual(a["cycles"].dtype.kind, "i")

    def test_bad_options_raise_the_command_lines_messages_before_any_work(self):
        d = temp_dir(self)
        for kwargs, args in [(dict(samples=3, mode="sideways"), ["--samples", "3", "--mode", "sideways"]),
                             (dict(samples=3, mode="arch", colour="red"), ["--samples", "3", "--mode", "arch",
                                                                          "--colour", "red"]),
                             (dict(mode="arch"), ["--mode", "arch"])]:
            with self.subTest(kwargs=kwargs):
                out = os.path.join(d, "bad.csv")
                with self.assertRaises(cimnet.InputError) as caught:
                    cimnet.dataset(out, **kwargs)
                self.assertEqual(str(caught.exception), cli_error("dataset", "--out", out, *args))
                self.assertFalse(os.path.exists(out))

    def test_an_exception_in_the_callback_stops_the_run_and_is_raised(self):
        out = os.path.join(temp_dir(self), "d.csv")

        def stop(done, total):
            raise RuntimeError(f"enough at {done}")
        with self.assertRaisesRegex(RuntimeError, "enough at 1"):
            cimnet.dataset(out, progress=stop, samples=6, mode="arch", jobs=1)
        rows = cimnet.dataset(out, resume=True, samples=6, mode="arch", jobs=2)
        self.assertEqual(len(rows), 6)

    def test_ctrl_c_stops_cleanly_and_the_run_resumes(self):
        out = os.path.join(temp_dir(self), "d.csv")

        def interrupt(done, total):
            if done == 1:
                os.kill(os.getpid(), signal.SIGINT)
        with self.assertRaises(KeyboardInterrupt) as caught:
            cimnet.dataset(out, progress=interrupt, samples=5, mode="arch", jobs=1)
        self.assertIn("resume=True", str(caught.exception))
        finished = len(read_cli_rows(out))
        self.assertGreaterEqual(finished, 1)
        self.assertLess(finished, 5)
        rows = cimnet.dataset(out, resume=True, samples=5, mode="arch", jobs=2)
        self.assertEqual(len(rows), 5)
        self.assertEqual(len({r["index"] for r in rows}), 5)

    def test_shards_merge_into_the_whole(self):
        d = temp_dir(self)
        whole = cimnet.dataset(os.path.join(d, "all.csv"), samples=4, mode="hw", jobs=2, seed=2)
        for i in range(2):
            cimnet.dataset(os.path.join(d, f"s{i}.csv"), samples=4, mode="hw", jobs=2, seed=2, shard=f"{i}/2")
        merged = cimnet.merge_datasets(os.path.join(d, "merged.csv"), [os.path.join(d, f"s{i}.csv") for i in range(2)])
        self.assertEqual(stable(merged), stable(whole))


class Search(unittest.TestCase):
    def test_a_hardware_search_and_its_run_folder(self):
        out = os.path.join(temp_dir(self), "run")
        seen = []
        result = cimnet.search(out, progress=seen.append, quiet=True, mode="hw", method="random", budget=3,
                               objectives="cycles,area", seed=1, jobs=2)
        self.assertEqual(result["run_folder"], out)
        self.assertEqual(len(result["evaluations"]), 4)  # the reference design, then the budget
        self.assertEqual([s["evaluations"] for s in seen], [1, 2, 3, 4])
        self.assertTrue(all(s["status"] == "ok" and s["cycles"] > 0 for s in seen))
        self.assertGreaterEqual(len(result["front"]), 1)
        again = cimnet.search(out, quiet=True, resume=True, mode="hw", method="random", budget=3,
                              objectives="cycles,area", seed=1, jobs=2)
        self.assertEqual(again["evaluations"], result["evaluations"])
        try:
            import numpy  # noqa: F401
        except ImportError:
            return
        arrays = cimnet.search(out, quiet=True, resume=True, as_numpy=True, mode="hw", method="random", budget=3,
                               objectives="cycles,area", seed=1, jobs=2)
        self.assertEqual(list(arrays["evaluations"]["cycles"]), [r["cycles"] for r in result["evaluations"]])

    def test_ctrl_c_stops_cleanly_and_the_search_resumes(self):
        out = os.path.join(temp_dir(self), "run")
        options = dict(quiet=True, mode="hw", method="random", budget=4, objectives="cycles,area", seed=2, jobs=1)

        def interrupt(e):
            if e["evaluations"] == 2:
                os.kill(os.getpid(), signal.SIGINT)
        with self.assertRaises(KeyboardInterrupt):
            cimnet.search(out, progress=interrupt, **options)
        done = []
        result = cimnet.search(out, progress=done.append, resume=True, **options)
        self.assertEqual(len(result["evaluations"]), 5)
        # The resumed run evaluates only what the stopped one had not finished (at least two were kept).
        counts = [e["evaluations"] for e in done]
        self.assertGreaterEqual(counts[0], 3)
        self.assertEqual(counts, list(range(counts[0], 6)))

    def test_bad_options_raise_the_command_lines_messages(self):
        out = os.path.join(temp_dir(self), "run")
        with self.assertRaises(cimnet.InputError) as caught:
            cimnet.search(out, method="annealing")
        self.assertEqual(str(caught.exception), cli_error("search", "--out", out, "--method", "annealing"))


if __name__ == "__main__":
    unittest.main()
