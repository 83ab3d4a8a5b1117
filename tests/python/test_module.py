"""The module as a whole: its stubs name exactly what it has, everything public is documented, and it
imports by itself (as the README's commands leave it) under the interpreter the tests run."""
import ast
import os
import subprocess
import sys
import unittest

from cli_support import cimnet, source


def stub_names():
    path = os.path.join(os.path.dirname(cimnet.__file__), "cimnet.pyi")
    tree = ast.parse(open(path).read())
    top, members = set(), {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top.add(node.name)
        if isinstance(node, ast.ClassDef):
            members[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        if isinstance(node, ast.AnnAssign):
            top.add(node.target.id)
    return top, members


def public(names):
    return {n for n in names if not n.startswith("_") or n in ("__version__", "__init__", "__len__")}


class Stubs(unittest.TestCase):
    def test_the_stubs_name_exactly_the_modules_functions_and_classes(self):
        top, members = stub_names()
        self.assertEqual(public(dir(cimnet)) - {"Spec"}, public(top) - {"Spec"})
        for cls, names in members.items():
            with self.subTest(cls=cls):
                have = public(dir(getattr(cimnet, cls))) - public(dir(object)) - set(dir(BaseException))
                self.assertEqual(have, public(names) - public(dir(object)))

    def test_every_function_and_class_has_a_docstring(self):
        for name in public(dir(cimnet)) - {"__version__"}:
            with self.subTest(name=name):
                self.assertTrue((getattr(cimnet, name).__doc__ or "").strip(), name)

    def test_the_version_is_the_projects(self):
        cmake = open(source("CMakeLists.txt")).read()
        self.assertIn(f"VERSION {cimnet.__version__} ", cmake)

    def test_the_module_imports_in_a_fresh_interpreter_from_any_folder(self):
        env = dict(os.environ, PYTHONPATH=os.path.dirname(cimnet.__file__))
        out = subprocess.run([sys.executable, "-c", "import cimnet; print(cimnet.Space('vit-b16').max())"],
                             cwd="/", env=env, capture_output=True, text=True, check=True).stdout
        self.assertTrue(out.startswith("l="), out)


if __name__ == "__main__":
    unittest.main()
