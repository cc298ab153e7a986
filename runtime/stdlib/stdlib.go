// Package stdlib enables every Python standard-library module implemented in Go:
// importing it (usually blank) registers them all with the interpreter. Each
// module is its own package under runtime/stdlib (json, math, re, datetime,
// collections, decimal, statistics, ...) and registers itself from an init
// function with interp.RegisterModule or interp.ExtendModule; what several
// modules share lives in runtime/stdlib/internal/native. The store() storage
// API (module jac_scale.lib) is runtime/stdlib/storage.
//
// Tests: each module package runs its testdata/NAME.jac programs and compares
// their output with testdata/NAME.expected (produced by CPython running the
// equivalent Python program); programs that use several modules live here.
package stdlib

import (
	_ "github.com/jacscale/jac/runtime/stdlib/asyncio"
	_ "github.com/jacscale/jac/runtime/stdlib/base64"
	_ "github.com/jacscale/jac/runtime/stdlib/bisect"
	_ "github.com/jacscale/jac/runtime/stdlib/collections"
	_ "github.com/jacscale/jac/runtime/stdlib/contextlib"
	_ "github.com/jacscale/jac/runtime/stdlib/copy"
	_ "github.com/jacscale/jac/runtime/stdlib/csv"
	_ "github.com/jacscale/jac/runtime/stdlib/dataclasses"
	_ "github.com/jacscale/jac/runtime/stdlib/datetime"
	_ "github.com/jacscale/jac/runtime/stdlib/decimal"
	_ "github.com/jacscale/jac/runtime/stdlib/enum"
	_ "github.com/jacscale/jac/runtime/stdlib/fractions"
	_ "github.com/jacscale/jac/runtime/stdlib/functools"
	_ "github.com/jacscale/jac/runtime/stdlib/glob"
	_ "github.com/jacscale/jac/runtime/stdlib/hashlib"
	_ "github.com/jacscale/jac/runtime/stdlib/heapq"
	_ "github.com/jacscale/jac/runtime/stdlib/hmac"
	_ "github.com/jacscale/jac/runtime/stdlib/html"
	_ "github.com/jacscale/jac/runtime/stdlib/io"
	_ "github.com/jacscale/jac/runtime/stdlib/itertools"
	_ "github.com/jacscale/jac/runtime/stdlib/json"
	_ "github.com/jacscale/jac/runtime/stdlib/logging"
	_ "github.com/jacscale/jac/runtime/stdlib/math"
	_ "github.com/jacscale/jac/runtime/stdlib/operator"
	_ "github.com/jacscale/jac/runtime/stdlib/os"
	_ "github.com/jacscale/jac/runtime/stdlib/pathlib"
	_ "github.com/jacscale/jac/runtime/stdlib/random"
	_ "github.com/jacscale/jac/runtime/stdlib/re"
	_ "github.com/jacscale/jac/runtime/stdlib/secrets"
	_ "github.com/jacscale/jac/runtime/stdlib/shutil"
	_ "github.com/jacscale/jac/runtime/stdlib/statistics"
	_ "github.com/jacscale/jac/runtime/stdlib/storage"
	_ "github.com/jacscale/jac/runtime/stdlib/string"
	_ "github.com/jacscale/jac/runtime/stdlib/sys"
	_ "github.com/jacscale/jac/runtime/stdlib/tempfile"
	_ "github.com/jacscale/jac/runtime/stdlib/textwrap"
	_ "github.com/jacscale/jac/runtime/stdlib/threading"
	_ "github.com/jacscale/jac/runtime/stdlib/time"
	_ "github.com/jacscale/jac/runtime/stdlib/traceback"
	_ "github.com/jacscale/jac/runtime/stdlib/types"
	_ "github.com/jacscale/jac/runtime/stdlib/urllib"
	_ "github.com/jacscale/jac/runtime/stdlib/uuid"
	_ "github.com/jacscale/jac/runtime/stdlib/warnings"
)
