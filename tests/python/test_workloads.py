"""Spaces and networks from Python against the command line (`cimnet network --format json`)."""
import os
import unittest

from cli_support import ONNX_FIXTURES, cimnet, cli_error, cli_json, source


class Spaces(unittest.TestCase):
    def test_the_registered_spaces(self):
        self.assertEqual(cimnet.spaces(), ["ofa-mbv3", "ofa-mbv3-w12", "ofa-resnet50", "vit-b16"])

    def test_specs_dicts_and_genomes_round_trip(self):
        space = cimnet.Space("ofa-mbv3")
        for spec in space.sample(7, count=5) + [space.min(), space.max()]:
            genome = space.encode(spec)
            self.assertEqual(len(genome), space.gene_count)
            self.assertEqual(space.decode(genome), spec)
            d = space.to_dynast(spec)
            self.assertEqual(set(d), {"ks", "e", "d", "r", "wid"})
            self.assertIsNone(d["wid"])
            self.assertEqual(space.from_dynast(d), spec)
            self.assertEqual(space.canonical(d), spec)

    def test_sampling_is_reproducible_and_canonical(self):
        space = cimnet.Space("ofa-resnet50")
        a, b = space.sample(3, count=4), space.sample(3, count=4)
        self.assertEqual(a, b)
        self.assertEqual([space.canonical(s) for s in a], a)
        self.assertNotEqual(space.sample(4, count=4), a)

    def test_the_groups_describe_the_genes(self):
        space = cimnet.Space("ofa-mbv3")
        self.assertEqual(sum(g["count"] for g in space.groups), space.gene_count)
        self.assertEqual(len(space.gene_names), space.gene_count)
        self.assertEqual([g["name"] for g in space.groups], ["ks", "e", "d", "r"])

    def test_a_bad_spec_raises_the_command_lines_message(self):
        with self.assertRaises(cimnet.InputError) as caught:
            cimnet.Space("ofa-mbv3").network("ks=9")
        self.assertEqual(str(caught.exception),
                         cli_error("network", "--space", "ofa-mbv3", "--arch", "ks=9"))
        self.assertIsInstance(caught.exception, ValueError)

    def test_an_unknown_space_names_the_allowed_ones(self):
        with self.assertRaises(cimnet.InputError) as caught:
            cimnet.Space("mobilenet")
        self.assertEqual(str(caught.exception), cli_error("network", "--space", "mobilenet"))


class Networks(unittest.TestCase):
    def test_a_sub_network_equals_the_command_lines(self):
        for space, arch in [("ofa-mbv3", "max"), ("ofa-resnet50", "min"), ("vit-b16", "random:5")]:
            with self.subTest(space=space):
                net = cimnet.network(space, arch)
                self.assertEqual(net.to_dict(), cli_json("network", "--space", space, "--arch", arch, "--format", "json"))
                self.assertEqual(net.macs, sum(l["macs"] for l in net.layers))
                self.assertEqual(len(net), len(net.layers))

    def test_a_space_objects_network_equals_the_module_level_one(self):
        space = cimnet.Space("ofa-mbv3")
        spec = space.sample(11)[0]
        self.assertEqual(space.network(spec).to_dict(), cimnet.network("ofa-mbv3", spec).to_dict())
        self.assertEqual(space.network(space.encode(spec)).to_dict(), space.network(spec).to_dict())
        self.assertEqual(space.network(space.to_dynast(spec)).header["arch"], spec)

    def test_a_network_file_equals_the_command_lines(self):
        path = source("examples", "networks", "resnet18.yaml")
        net = cimnet.load_network(path)
        self.assertEqual(net.to_dict(), cli_json("network", "--network", path, "--format", "json"))

    def test_an_onnx_model_has_its_published_counts(self):
        path = os.path.join(ONNX_FIXTURES, "net-resnet18.onnx")
        if not os.path.exists(path):
            self.skipTest("the ONNX fixtures are not built (scripts/onnx_fixtures.py)")
        net = cimnet.load_onnx(path)
        self.assertEqual((net.macs, net.params), (1_814_073_344, 11_689_512))
        self.assertEqual(net.to_dict(), cli_json("network", "--onnx", path, "--format", "json"))
        two = cimnet.load_onnx(path, batch=2)
        self.assertEqual(two.macs, 2 * net.macs)
        # The command line's bounds on --batch and --onnx-dim, before the file is read.
        for kwargs in [dict(batch=0), dict(batch=2**21), dict(dims={"seq": -1})]:
            with self.subTest(kwargs=kwargs):
                with self.assertRaisesRegex(cimnet.InputError, r"must be 1\.\.1048576"):
                    cimnet.load_onnx(path, **kwargs)
        self.assertEqual(str(self._bad_batch(path)), cli_error("network", "--onnx", path, "--batch", "0").replace("--", ""))

    @staticmethod
    def _bad_batch(path):
        try:
            cimnet.load_onnx(path, batch=0)
        except cimnet.InputError as e:
            return e
        raise AssertionError("batch=0 was accepted")

    def test_language_models_have_their_published_parameters(self):
        self.assertEqual(cimnet.llm_parameters("gpt2")["total"], 124_439_808)
        self.assertIn("llama-2-7b", cimnet.llm_models())
        decode = cimnet.llm("gpt2", decode_at=10)
        self.assertEqual(decode.to_dict(), cli_json("network", "--llm", "gpt2", "--decode-at", "10", "--format", "json"))
        custom = cimnet.llm({"base": "gpt2", "layers": 1}, prefill=16)
        self.assertLess(custom.macs, cimnet.llm("gpt2", prefill=16).macs)
        with self.assertRaises(cimnet.InputError):
            cimnet.llm("gpt2")
        with self.assertRaises(cimnet.InputError):
            cimnet.llm({"base": "gpt2", "depth": 3}, prefill=4)
        self.assertEqual(custom.header["llm"], "gpt2-custom")
        for config, message in [({"base": "gpt2", "layers": 10**9}, "layers must be 1..1024"),
                                ({"base": "gpt2", "heads": 5}, "heads must divide width"),
                                ({"base": "gpt2", "gated": 1}, "takes a bool")]:
            with self.subTest(config=config):
                with self.assertRaisesRegex(cimnet.InputError, message):
                    cimnet.llm(config, prefill=4)

    def test_a_missing_file_raises_the_command_lines_message(self):
        with self.assertRaises(cimnet.InputError) as caught:
            cimnet.load_network("/nonexistent/net.yaml")
        self.assertEqual(str(caught.exception), cli_error("network", "--network", "/nonexistent/net.yaml"))

    def test_the_layers_as_a_numpy_array(self):
        try:
            import numpy  # noqa: F401
        except ImportError:
            self.skipTest("NumPy is not installed (Debian: python3-numpy)")
        net = cimnet.network("ofa-mbv3", "min")
        a = net.layers_array()
        self.assertEqual(len(a), len(net))
        self.assertEqual(int(a["macs"].sum()), net.macs)
        self.assertEqual(a["macs"].dtype.kind, "i")
        self.assertEqual(list(a["name"]), [l["name"] for l in net.layers])


if __name__ == "__main__":
    unittest.main()
