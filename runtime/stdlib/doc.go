// Package stdlib implements, in Go, Python standard-library modules for Jac
// programs. A blank import registers (from init functions) the modules that no
// other package provides: operator, io, statistics, secrets, hmac, pathlib,
// bisect, html, urllib.parse, types, contextlib, threading, warnings, csv, glob,
// shutil, tempfile, plus dataclasses/asyncio additions to the core's modules.
//
// Its json, math, functools, itertools, textwrap, fractions and datetime
// modules overlap runtime/pylib; they are registered only by RegisterOverrides,
// so that the binary chooses explicitly which implementation wins.
//
// Tests: testdata/NAME.jac runs and must print testdata/NAME.out, which was
// produced by CPython running the equivalent Python program.
package stdlib
