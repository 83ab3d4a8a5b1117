"""Hardware from Python against the command line (`cimnet hardware --format json`)."""
import unittest

from cli_support import cimnet, cli_error, cli_json, source


class Designs(unittest.TestCase):
    def test_the_reference_design_equals_the_command_lines(self):
        self.assertEqual(cimnet.Hardware().to_dict(), cli_json("hardware", "--format", "json"))

    def test_keywords_set_parameters_as_hw_overrides_do(self):
        hw = cimnet.Hardware(DRAM_bw=128, gb_bytes=2 * 1024 * 1024, MA_num_child="16")
        self.assertEqual(hw.values["DRAM_bw"], 128)
        self.assertEqual(hw.fixed["gb_bytes"], 2 * 1024 * 1024)
        self.assertEqual(hw.to_dict(), cli_json("hardware", "--format", "json", "--hw", "DRAM_bw=128",
                                                "--hw", "gb_bytes=2097152", "--hw", "MA_num_child=16"))
        self.assertEqual(hw.arrays, hw.values["L1_num_child"] * 16)
        self.assertEqual(hw.peak_macs_per_cycle, hw.arrays * hw.values["MA_comp_per_core"])
        self.assertEqual(hw.replace(DRAM_bw=64).values["DRAM_bw"], 64)
        self.assertEqual(hw.values["DRAM_bw"], 128)  # replace() copies

    def test_an_unknown_or_out_of_range_parameter_raises_the_command_lines_message(self):
        for key, value in [("DRAM_speed", 5), ("DRAM_bw", 0)]:
            with self.subTest(key=key):
                with self.assertRaises(cimnet.InputError) as caught:
                    cimnet.Hardware(**{key: value})
                self.assertEqual(str(caught.exception), cli_error("hardware", "--hw", f"{key}={value}"))

    def test_a_scenario_file_gives_its_reference_design(self):
        path = source("scenarios", "vit-b16.yaml")
        self.assertEqual(cimnet.Hardware(scenario=path).to_dict(),
                         cli_json("hardware", "--format", "json", "--scenario", path))


class Space(unittest.TestCase):
    def test_samples_encode_and_decode(self):
        space = cimnet.hardware_space()
        self.assertEqual(space.size, 4.0 ** 8)
        self.assertEqual(space.reference(), cimnet.Hardware())
        self.assertEqual(space.encode(space.reference()), [2] * 8)
        for hw in space.sample(5, count=6):
            self.assertEqual(space.decode(space.encode(hw)), hw)
            for name, value in hw.values.items():
                self.assertIn(value, space.choices[name])
        self.assertEqual(space.sample(5, count=6), space.sample(5, count=6))
        with self.assertRaises(cimnet.InputError):
            space.decode([0] * 7)
        with self.assertRaises(cimnet.InputError):
            space.encode(cimnet.Hardware(DRAM_bw=96))


class ComponentGenes(unittest.TestCase):
    """A scenario that searches its digital core's grid (issue 17): the genes follow the eight."""
    path = source("scenarios", "experiments", "ofa-mbv3-digital-grid.yaml")

    def test_the_genes_follow_the_eight(self):
        space = cimnet.hardware_space(self.path)
        self.assertEqual(list(space.choices)[8:], ["pe.rows", "pe.cols"])
        self.assertEqual(space.choices["pe.rows"], [8, 16, 32])
        self.assertEqual(space.size, 4.0 ** 8 * 9)
        reference = space.reference()
        self.assertEqual(space.encode(reference)[8:], [1, 1])
        self.assertEqual(reference.values["pe.cols"], 16)
        large = space.decode(space.encode(reference)[:8] + [2, 2])
        self.assertEqual(large.values["pe.rows"], 32)
        self.assertNotEqual(large, reference)  # the cores differ: not the same design
        self.assertEqual(large, cimnet.Hardware(scenario=self.path, **{"pe.rows": 32, "pe.cols": 32}))
        self.assertEqual(large.to_dict(), cli_json("hardware", "--format", "json", "--scenario", self.path,
                                                   "--hw", "pe.rows=32", "--hw", "pe.cols=32"))
        for hw in space.sample(3, count=6):
            self.assertEqual(space.decode(space.encode(hw)), hw)
        with self.assertRaises(cimnet.InputError):
            space.decode([0] * 8)


if __name__ == "__main__":
    unittest.main()
