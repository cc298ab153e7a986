package main

// The Python library modules register themselves on import.
import _ "github.com/jacscale/jac/runtime/stdlib"
