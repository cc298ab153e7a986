// Package stdlib implements, in Go, the Python standard-library modules Jac
// programs import: json, math, re, datetime, collections, functools, itertools,
// heapq, copy, time, uuid, random, os, sys, string, hashlib, base64, logging,
// operator, io, statistics, secrets, hmac, pathlib, bisect, html, urllib.parse,
// types, contextlib, threading, warnings, csv, glob, shutil, tempfile, textwrap,
// fractions, decimal, plus dataclasses/asyncio additions to the core's modules, and the
// store() storage API. Modules register themselves from init functions with
// interp.RegisterModule; a blank import enables them all.
//
// Tests: testdata/NAME.jac runs and must print testdata/NAME.out, which was
// produced by CPython running the equivalent Python program.
package stdlib
