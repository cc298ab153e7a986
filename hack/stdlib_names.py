"""Print the public API of the CPython modules that runtime/stdlib implements.

Run it with CPython 3.12 (the reference runs on 3.12):

    python3.12 hack/stdlib_names.py > runtime/stdlib/testdata/cpython312_names.txt

Each line is "module name" for a public module-level name (the module's
__all__ when it has one, else its dir() without private names and
submodules), or "module Class.name" for a public attribute that a class of
the module defines itself (vars(cls), not inherited ones).
TestCPythonCoverage compares these with what the modules register.
"""
import importlib
import sys
import types

MODULES = """asyncio base64 bisect collections contextlib copy csv dataclasses datetime
decimal enum fractions functools glob hashlib heapq hmac html io itertools json
logging math operator os os.path pathlib random re secrets shutil statistics string
sys tempfile textwrap threading time types urllib.parse uuid warnings""".split()


def public(names):
    return sorted(n for n in names if not n.startswith("_"))


def module_names(mod):
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n in dir(mod) if not isinstance(getattr(mod, n), types.ModuleType)]
    return public(names)


def main():
    print("# CPython %d.%d.%d public names (hack/stdlib_names.py)" % sys.version_info[:3])
    for name in MODULES:
        mod = importlib.import_module(name)
        for n in module_names(mod):
            print(name, n)
            obj = getattr(mod, n, None)
            if isinstance(obj, type) and not issubclass(obj, BaseException):
                for attr in public(vars(obj)):
                    print(name, n + "." + attr)


main()
