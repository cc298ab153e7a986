// Package pylib implements, in Go, the Python standard-library modules Jac programs
// import most (json, math, re, datetime, collections, functools, itertools, heapq,
// copy, time, uuid, random, os, sys, string, hashlib, base64, logging). Modules
// register themselves with interp.RegisterModule; a blank import enables them.
package pylib
