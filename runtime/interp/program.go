package interp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/jacscale/jac/runtime/syntax"
)

// Program is a loaded Jac application: its main module and the modules it imports.
// Jac code of one program runs one thread at a time (Lock/Unlock), as under
// Python's GIL; threads release the lock around blocking I/O.
type Program struct {
	Main    *Module
	Dir     string
	modules map[string]*Module
	lock    progLock
	Policy  Policy
	// Files lists every .jac source file the program loaded (for --reload).
	Files []string
	// Stdout receives module-level output while loading.
	Stdout io.Writer
	// AllRoots is the server's allroots() (default: the caller's root).
	AllRoots func(th *Thread) Value
	// Shared is a server's in-process graph tier for this program (see
	// NewSharedGraph); it is used under Lock and dropped with the program.
	Shared *Graph

	admitted  map[*Class][]string // archetype names a type filter admits (edgeindex.go)
	recursion recursionLimit      // sys.setrecursionlimit (recursion.go)
}

// NativeModule builds a built-in library module.
type NativeModule func() *Module

var nativeModules = map[string]NativeModule{}
var moduleExtensions = map[string][]func(*Module){}

// ExtendModule adds names to a built-in module when it is first imported.
func ExtendModule(name string, f func(*Module)) {
	nativeMu.Lock()
	defer nativeMu.Unlock()
	moduleExtensions[name] = append(moduleExtensions[name], f)
}

var nativeMu sync.Mutex

// RegisterModule registers a built-in library module (json, math, ...).
func RegisterModule(name string, mk NativeModule) {
	nativeMu.Lock()
	defer nativeMu.Unlock()
	nativeModules[name] = mk
}

// Lock acquires the program's interpreter lock.
func (p *Program) Lock() { p.lock.Lock() }

// LockContext acquires the program's interpreter lock unless ctx ends first:
// then it returns ctx's error without the lock.
func (p *Program) LockContext(ctx context.Context) error { return p.lock.lockContext(ctx) }

// Unlock releases it.
func (p *Program) Unlock() { p.lock.Unlock() }

// LoadError is a compile-time error of a program.
type LoadError struct {
	Err *syntax.Error
}

func (e *LoadError) Error() string { return e.Err.Error() }

// Load parses and compiles the program at file and runs its module-level code on
// th (created by the caller, whose Prog is set by Load).
func Load(th *Thread, file string) (*Program, error) { return LoadWith(th, file, nil) }

// LoadWith is Load with a hook that runs after compilation and before the module
// code (to attach a store session to the thread's graph).
func LoadWith(th *Thread, file string, before func(*Program) error) (*Program, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	p := &Program{Dir: filepath.Dir(abs), modules: map[string]*Module{}}
	th.Prog = p
	mod, code, err := p.compileFile(abs, "__main__")
	if err != nil {
		return nil, err
	}
	p.Main = mod
	if before != nil {
		if err := before(p); err != nil {
			return nil, err
		}
	}
	err = th.Protect(func() { th.runModuleCode(mod, code) })
	th.Out.Flush()
	return p, err
}

// Compile parses and compiles the program without running it (used by tests and
// by the server's reload check).
func Compile(file string) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	p := &Program{Dir: filepath.Dir(abs), modules: map[string]*Module{}}
	_, _, err = p.compileFile(abs, "__main__")
	return err
}

func (p *Program) compileFile(path, name string) (mod *Module, code *Code, err error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	ast, err := syntax.Parse(path, string(src))
	if err != nil {
		return nil, nil, err
	}
	// annex files: X.impl.jac beside X.jac, and files in X.impl/ folders
	base := strings.TrimSuffix(path, ".jac")
	annexes, _ := filepath.Glob(base + ".*.jac")
	more, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "impl", filepath.Base(base)+".impl.jac"))
	annexes = append(annexes, more...)
	folder, _ := filepath.Glob(filepath.Join(base+".impl", "*.jac")) // X.impl/ folders
	annexes = append(annexes, folder...)
	archDecls := map[string]bool{}
	for _, st := range ast.Body {
		if a, ok := st.(*syntax.ArchDef); ok && a.Decl {
			archDecls[a.Name] = true
		}
	}
	var annexImports []syntax.Stmt
	for _, a := range annexes {
		asrc, err := os.ReadFile(a)
		if err != nil {
			return nil, nil, err
		}
		am, err := syntax.ParseAnnex(a, string(asrc), archDecls)
		if err != nil {
			return nil, nil, err
		}
		// an annex's imports serve its impl bodies: they run before the main code
		for _, st := range am.Body {
			if _, ok := st.(*syntax.Import); ok {
				annexImports = append(annexImports, st)
			} else {
				ast.Body = append(ast.Body, st)
			}
		}
		p.Files = append(p.Files, a)
	}
	ast.Body = append(annexImports, ast.Body...)
	p.Files = append(p.Files, path)
	mod = NewModule(name)
	mod.File = path
	mod.prog = p
	p.modules[path] = mod
	c := &compiler{prog: p, mod: mod, file: path}
	defer func() {
		if r := recover(); r != nil {
			if se, ok := r.(*syntax.Error); ok {
				err = se
				return
			}
			panic(r)
		}
	}()
	code = c.compileModule(ast)
	return mod, code, nil
}

func (th *Thread) runModuleCode(mod *Module, code *Code) {
	fn := &Function{code: code, module: mod}
	fr := th.newFrame(fn, code)
	mod.Set("__name__", Str(mod.Name))
	th.push(fr)
	if code.Body(fr) == ctrlRaise {
		th.throwPending()
	}
	th.pop(fr)
	mod.loaded = true
}

// importModule loads a module by dotted name relative to the importing file.
func (th *Thread) importModule(from *Module, dotted string, level int) *Module {
	if level == 0 {
		if mk, ok := nativeModules[dotted]; ok {
			key := "native:" + dotted
			p := th.Prog
			if m, ok := p.modules[key]; ok {
				return m
			}
			m := mk()
			for _, ext := range moduleExtensions[dotted] {
				ext(m)
			}
			p.modules[key] = m
			return m
		}
	}
	dir := th.Prog.Dir
	if level > 0 {
		if from.Name == "__main__" {
			th.Raise(ImportErrorClass, "attempted relative import with no known parent package")
		}
		dir = filepath.Dir(from.File)
		for i := 1; i < level; i++ {
			dir = filepath.Dir(dir)
		}
	}
	rel := filepath.Join(strings.Split(dotted, ".")...)
	candidates := []string{filepath.Join(dir, rel+".jac"), filepath.Join(dir, rel, "__init__.jac")}
	if level == 0 && from != nil && from.File != "" && filepath.Dir(from.File) != dir {
		d := filepath.Dir(from.File)
		candidates = append(candidates, filepath.Join(d, rel+".jac"), filepath.Join(d, rel, "__init__.jac"))
	}
	for _, path := range candidates {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		if m, ok := th.Prog.modules[path]; ok {
			return m
		}
		mod, code, err := th.Prog.compileFile(path, dotted)
		if err != nil {
			var se *syntax.Error
			if errors.As(err, &se) {
				th.Raise(SyntaxErrorClass, "%s", se.Error())
			}
			th.Raise(ImportErrorClass, "%s", err.Error())
		}
		th.runModuleCode(mod, code)
		return mod
	}
	if pkgDir := filepath.Join(dir, rel); isDir(pkgDir) {
		m := NewModule(dotted)
		m.File = filepath.Join(pkgDir, "__init__.jac")
		th.Prog.modules[pkgDir] = m
		return m
	}
	exc := th.newExc(ModuleNotFoundErrorClass, fmt.Sprintf("No module named '%s'", dotted))
	panic(exc)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// NewRunThread creates a thread for `jac run` / tests writing to out.
func NewRunThread(ctx context.Context, out io.Writer) *Thread {
	th := NewThread(ctx, nil, out)
	th.PrintReports = true
	return th
}
